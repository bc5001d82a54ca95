"""The engagement concept."""
