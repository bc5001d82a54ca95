"""The web workbench: FastAPI app factory, JSON API (/api/v1), pages, users and auth."""
