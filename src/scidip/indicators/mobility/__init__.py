"""Brain circulation: scholars' countries over time, their moves, the OECD typology, and the
MPIDR published series as a reference (docs/mobility.md)."""
