"""Periodic jobs: escalation sweep, notification delivery, auto-close, retraining."""
