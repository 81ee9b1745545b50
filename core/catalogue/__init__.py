"""Departments (and their service levels) and policies, as the public reads and admins edit."""
