"""Published figures: numbers a publication states, kept to reconcile against the registry."""
