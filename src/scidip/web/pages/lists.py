"""The lists: every concept as a sortable, filterable, faceted, paged table with its CSV and
JSON (:mod:`scidip.web.pages.listview`), and the audit log with paging and filters (admins)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from scidip.auth.models import Role
from scidip.auth.service import require
from scidip.csvcells import to_csv
from scidip.errors import NotFound
from scidip.registry.audit.service import AuditPage, audit_entries
from scidip.registry.concepts import BY_NAME, CONCEPTS
from scidip.registry.record import Concept
from scidip.web.deps import DbSession
from scidip.web.pages import listview
from scidip.web.pages.context import PageUser, json_text, render_read

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


def attachment(rows: list[dict[str, Any]], columns: list[str], name: str, fmt: str) -> Response:
    """``rows`` to download as ``name.csv`` (``columns``; the header alone when there is no
    row) or ``name.json``."""
    if fmt == "csv":
        body, media = to_csv(rows, columns), "text/csv; charset=utf-8"
    else:
        body, media = json.dumps(rows, ensure_ascii=False, indent=1), "application/json"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


def _export(request: Request, db: DbSession, page: PageUser, name: str, fmt: str) -> Response:
    concept = concept_named(name)
    query = listview.parse_query(concept, request.query_params)
    items, _ = listview.rows(db, concept, page.who.clearance, query, paged=False)
    return attachment(listview.table(concept, items), listview.columns(concept), name, fmt)


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


@dataclass(frozen=True)
class AuditQuery:
    """The audit log's filters and page, from the query string."""

    actor: Annotated[str | None, Query(max_length=100)] = None
    table: Annotated[str | None, Query(max_length=40)] = None
    key: Annotated[str | None, Query(max_length=200)] = None
    since: Annotated[date | None, Query()] = None
    until: Annotated[date | None, Query()] = None
    page: Annotated[int, Query(ge=1, le=10**6)] = 1

    def wanted(self) -> dict[str, Any]:
        """The filters, without the page."""
        return {"actor": self.actor, "table": self.table, "key": self.key,
                "since": self.since, "until": self.until}  # fmt: skip


AuditQueryDep = Annotated[AuditQuery, Depends()]


def _audit_found(db: DbSession, page: PageUser, query: AuditQuery, paged: bool) -> AuditPage:
    require(page.who, Role.admin)
    return audit_entries(
        db,
        page.who.clearance,
        **{k: v or None for k, v in query.wanted().items()},
        limit=AUDIT_PAGE if paged else None,
        offset=(query.page - 1) * AUDIT_PAGE if paged else 0,
    )


def audit_rows(entries: list[Any]) -> list[dict[str, Any]]:
    """The audit entries as the page shows them and its exports hold them: when (UTC), who,
    what, the record, and each field changed (``field: before → after``, as JSON)."""
    return [
        {
            "when": e.at.strftime("%Y-%m-%d %H:%M:%S"),
            "who": e.actor,
            "what": e.action,
            "record": f"{e.record_table} {e.record_key}",
            "changed": [
                (k, json_text(e.before.get(k)), json_text(v))
                for k, v in e.after.items()
                if e.before.get(k) != v
            ]
            if e.before and e.after
            else [],
        }
        for e in entries
    ]


def _audit_export(db: DbSession, page: PageUser, query: AuditQuery, fmt: str) -> Response:
    rows = [
        r | {"changed": "; ".join(f"{k}: {old} → {new}" for k, old, new in r["changed"])}
        for r in audit_rows(_audit_found(db, page, query, paged=False).entries)
    ]
    return attachment(rows, list(AUDIT_COLUMNS), "audit", fmt)


AUDIT_COLUMNS = ("when", "who", "what", "record", "changed")


@router.get("/audit.csv", name="audit_csv")
def audit_csv(db: DbSession, page: PageUser, query: AuditQueryDep) -> Response:
    """The audit log under the same filters, every page, as CSV (admins)."""
    return _audit_export(db, page, query, "csv")


@router.get("/audit.json", name="audit_json")
def audit_json(db: DbSession, page: PageUser, query: AuditQueryDep) -> Response:
    """The audit log under the same filters, every page, as JSON (admins)."""
    return _audit_export(db, page, query, "json")


@router.get("/audit", response_class=HTMLResponse, name="audit_page")
def audit_page(request: Request, db: DbSession, page: PageUser, query: AuditQueryDep) -> Response:
    """The audit log, newest first, a page at a time; by user, record and dates (admins)."""
    require(page.who, Role.admin)
    wanted = query.wanted()

    def gather() -> dict[str, Any]:
        found = _audit_found(db, page, query, paged=True)
        pages = max(1, -(-found.total // AUDIT_PAGE))
        base = {k: str(v) for k, v in wanted.items() if v}
        exports = f"?{urlencode(base)}" if base else ""
        return {
            "entries": audit_rows(found.entries),
            "total": found.total,
            "wanted": {k: ("" if v is None else str(v)) for k, v in wanted.items()},
            "tables": sorted(c.table for c in CONCEPTS),
            "page_number": query.page,
            "pages": pages,
            "first": (query.page - 1) * AUDIT_PAGE + 1,
            "base": base,
            "csv": f"/audit.csv{exports}",
            "json": f"/audit.json{exports}",
        }

    return render_read(request, "audit.html", page, gather)
