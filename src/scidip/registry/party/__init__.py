"""The party concept."""
