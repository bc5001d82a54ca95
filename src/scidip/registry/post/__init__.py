"""The post concept."""
