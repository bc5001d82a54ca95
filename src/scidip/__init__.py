"""SciDip: the system of record and evidence workbench of an S&T diplomacy office."""

__version__ = "0.1.0"
