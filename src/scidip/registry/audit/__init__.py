"""The audit concept."""
