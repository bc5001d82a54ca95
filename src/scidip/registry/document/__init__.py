"""The document concept."""
