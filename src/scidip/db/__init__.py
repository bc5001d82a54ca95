"""The registry database: declarative base, engine and session factory, migrations."""
