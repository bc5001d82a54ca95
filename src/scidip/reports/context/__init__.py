"""Typed contexts of the reports, computed from the registry's services."""
