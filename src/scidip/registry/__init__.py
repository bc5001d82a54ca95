"""The system of record: one package per concept, each with models, schemas and service."""
