"""The committee concept."""
