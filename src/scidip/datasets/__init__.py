"""Bundled datasets (YAML) and their loader; see docs/datasets.md for the format."""
