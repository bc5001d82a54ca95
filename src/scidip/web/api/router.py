"""One file mounting every API route under ``/api/v1`` (in the manner of dispatch's api.py)."""

from __future__ import annotations

from fastapi import APIRouter

from scidip.registry.concepts import CONCEPTS
from scidip.web.api import audit, auth, exports, queries, records, reports
from scidip.web.kept import KeptReads


def api_router() -> APIRouter:
    """The ``/api/v1`` router: auth, queries, exports, audit, then the records of every concept
    (fixed paths first, so that ``/queries/...`` is never read as a record key)."""
    router = APIRouter(prefix="/api/v1")
    router.include_router(auth.router)
    router.include_router(queries.router)
    router.include_router(exports.router)
    files = APIRouter(prefix="/exports", tags=["exports"], route_class=KeptReads)
    for concept in CONCEPTS:  # a router of this app's own: the module's is shared by every app
        exports.add_export_routes(files, concept)
    router.include_router(files)
    router.include_router(audit.router)
    router.include_router(reports.router)
    concepts = APIRouter(route_class=KeptReads)
    for concept in CONCEPTS:
        records.add_routes(concepts, concept)
        audit.add_history_route(concepts, concept)
    router.include_router(concepts)
    return router
