"""The body concept."""
