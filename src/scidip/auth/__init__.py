"""Users, roles, clearances, passwords, API tokens and login throttling."""
