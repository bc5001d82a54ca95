"""The agreement concept."""
