"""The lists: every concept as a sortable, filterable, faceted, paged table with its CSV and
JSON (:mod:`scidip.web.pages.listview`), and the audit log with paging and filters (admins)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from scidip.auth.models import Role
from scidip.auth.service import require
from scidip.csvcells import to_csv
from scidip.errors import NotFound
from scidip.registry.audit.service import audit_entries
from scidip.registry.concepts import BY_NAME, CONCEPTS
from scidip.registry.record import Concept
from scidip.web.deps import DbSession
from scidip.web.pages import listview
from scidip.web.pages.context import PageUser, render_read

router = APIRouter(include_in_schema=False)

AUDIT_PAGE = 50


def concept_named(name: str) -> Concept[Any, Any]:
    """The concept of a list's name (404 for none)."""
    if name not in BY_NAME:
        raise NotFound(f"no list of {name!r}")
    return BY_NAME[name]


@router.get("/lists", response_class=HTMLResponse, name="lists_page")
def lists_page(request: Request, page: PageUser) -> Response:
    """Every list of the registry."""
    return render_read(
        request, "lists.html", page, lambda: {"concepts": [c.name for c in CONCEPTS]}
    )


def _export(request: Request, db: DbSession, page: PageUser, name: str, fmt: str) -> Response:
    concept = concept_named(name)
    query = listview.parse_query(concept, request.query_params)
    items, _ = listview.rows(db, concept, page.who.clearance, query, paged=False)
    shown = listview.table(concept, items)
    if fmt == "csv":
        body, media = to_csv(shown), "text/csv; charset=utf-8"
    else:
        body, media = json.dumps(shown, ensure_ascii=False, indent=1), "application/json"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


@router.get("/lists/{name}.csv", name="list_csv")
def list_csv(request: Request, db: DbSession, page: PageUser, name: str) -> Response:
    """The list's rows and columns under the same filters and sort, every page, as CSV."""
    return _export(request, db, page, name, "csv")


@router.get("/lists/{name}.json", name="list_json")
def list_json(request: Request, db: DbSession, page: PageUser, name: str) -> Response:
    """The list's rows and columns under the same filters and sort, every page, as JSON."""
    return _export(request, db, page, name, "json")


@router.get("/lists/{name}", response_class=HTMLResponse, name="list_page")
def list_page(request: Request, db: DbSession, page: PageUser, name: str) -> Response:
    """One concept's records as a table: sort, filter, facets, pages, exports."""
    concept = concept_named(name)

    def gather() -> dict[str, Any]:
        return {
            **listview.view(db, concept, page.who.clearance, request.query_params),
            "title": name.capitalize(),
        }

    return render_read(request, "list.html", page, gather)


@router.get("/audit", response_class=HTMLResponse, name="audit_page")
def audit_page(
    request: Request,
    db: DbSession,
    page: PageUser,
    actor: Annotated[str | None, Query(max_length=100)] = None,
    table: Annotated[str | None, Query(max_length=40)] = None,
    key: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[date | None, Query()] = None,
    until: Annotated[date | None, Query()] = None,
    page_number: Annotated[int, Query(alias="page", ge=1, le=10**6)] = 1,
) -> Response:
    """The audit log, newest first, a page at a time; by user, record and dates (admins)."""
    require(page.who, Role.admin)
    wanted = {"actor": actor, "table": table, "key": key, "since": since, "until": until}

    def gather() -> dict[str, Any]:
        found = audit_entries(
            db,
            page.who.clearance,
            actor=actor or None,
            table=table or None,
            key=key or None,
            since=since,
            until=until,
            limit=AUDIT_PAGE,
            offset=(page_number - 1) * AUDIT_PAGE,
        )
        pages = max(1, -(-found.total // AUDIT_PAGE))
        return {
            "entries": found.entries,
            "total": found.total,
            "wanted": {k: ("" if v is None else str(v)) for k, v in wanted.items()},
            "tables": sorted(c.table for c in CONCEPTS),
            "page_number": page_number,
            "pages": pages,
            "first": (page_number - 1) * AUDIT_PAGE + 1,
            "base": {k: str(v) for k, v in wanted.items() if v},
        }

    return render_read(request, "audit.html", page, gather)
