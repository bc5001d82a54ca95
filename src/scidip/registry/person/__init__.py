"""The person concept."""
