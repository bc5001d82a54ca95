"""Record pages: view any record, see its history (admins). The forms that write records are in
``writes.py``, the audit log page in ``lists.py``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from scidip.auth.models import Role
from scidip.errors import NotFound
from scidip.registry.audit.service import audit_entries
from scidip.registry.concepts import BY_NAME
from scidip.registry.guarded import visible_read
from scidip.registry.record import Concept
from scidip.web.deps import DbSession
from scidip.web.pages.context import PageUser, render_read

router = APIRouter(include_in_schema=False)

SKIPPED = ("id", "version", "created_at", "updated_at")


def concept_named(name: str) -> Concept[Any, Any]:
    """The concept of a page's path (``persons``...); 404 for an unknown one."""
    if name not in BY_NAME:
        raise NotFound(f"no concept {name!r}")
    return BY_NAME[name]


def form_fields(concept: Concept[Any, Any]) -> list[dict[str, Any]]:
    """The form's fields: a text input, a choice (enums) or a JSON text area (lists, objects)."""
    schema = concept.schema.model_json_schema()
    defs = schema.get("$defs", {})
    fields = []
    for name, prop in schema["properties"].items():
        options = prop.get("anyOf", [prop])
        enum = next(
            (defs[o["$ref"].split("/")[-1]].get("enum") for o in options if "$ref" in o), None
        )
        simple = all(o.get("type") in ("string", "integer", "null") or "$ref" in o for o in options)
        kind = "choice" if enum else ("text" if simple else "json")
        required = name in schema.get("required", [])
        fields.append(
            {
                "name": name,
                "kind": kind,
                "choices": enum or [],
                "required": required,
                "help": prop.get("description", ""),
            }
        )
    return fields


@router.get("/records/{name}/{key}", response_class=HTMLResponse, name="record_page")
def record_page(request: Request, name: str, key: str, db: DbSession, page: PageUser) -> Response:
    """One record, its fields, and (for admins) its history."""
    concept = concept_named(name)

    def gather() -> dict[str, Any]:
        item = visible_read(db, concept, key, page.who)
        history = None
        if page.who.can(Role.admin):
            found = audit_entries(db, page.who.clearance, table=concept.table, record_id=item["id"])
            history = found.entries
        return {
            "concept": concept,
            "item": item,
            "history": history,
            "fields": form_fields(concept),
        }

    return render_read(request, "record.html", page, gather)
