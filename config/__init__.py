"""Settings: read from the environment once, validated, shared by every package."""
