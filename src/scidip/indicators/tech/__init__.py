"""The open critical-technology tracker (docs/tech.md): technologies as versioned definitions,
shares of papers and top-10 % papers by country, lead, concentration, monopoly risk, stability."""
