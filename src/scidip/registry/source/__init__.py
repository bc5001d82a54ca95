"""The source concept."""
