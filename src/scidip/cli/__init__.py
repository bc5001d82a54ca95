"""The ``scidip`` command line: thin adapters over the services."""
