"""Record pages: view any record, edit it in a form with validation messages, see its history
(admins); the audit log page (admins). Writes go through the same path as the API."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from scidip.auth.models import Role
from scidip.auth.service import require
from scidip.errors import Conflict, InvalidData, NotFound
from scidip.registry.audit.service import audit_entries
from scidip.registry.concepts import BY_NAME
from scidip.registry.record import Concept
from scidip.registry.schemas import INT_MAX
from scidip.web.api.records import update_visible, visible_read
from scidip.web.deps import DbSession
from scidip.web.pages.context import Form, PageUser, render, render_read

router = APIRouter(include_in_schema=False)

SKIPPED = ("id", "version", "created_at", "updated_at")


def _concept(name: str) -> Concept[Any, Any]:
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


def _shown(field: dict[str, Any], value: Any) -> str:
    if field["kind"] == "json":
        return json.dumps(value, ensure_ascii=False, indent=1)
    return "" if value is None else str(value)


def _parse(fields: list[dict[str, Any]], form: Any) -> tuple[dict[str, Any], dict[str, str]]:
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in fields:
        raw = str(form.get(f["name"], "")).strip()
        if f["kind"] == "json":
            try:
                data[f["name"]] = json.loads(raw) if raw else []
            except json.JSONDecodeError as exc:
                errors[f["name"]] = f"not valid JSON: {exc.msg} (line {exc.lineno})"
        elif raw or f["required"]:
            data[f["name"]] = raw
    return data, errors


@router.get("/records/{name}/{key}", response_class=HTMLResponse, name="record_page")
def record_page(request: Request, name: str, key: str, db: DbSession, page: PageUser) -> Response:
    """One record, its fields, and (for admins) its history."""
    concept = _concept(name)

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


def _edit_form(
    request: Request,
    page: Any,
    concept: Concept[Any, Any],
    key: str,
    values: dict[str, str],
    version: int,
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "edit.html",
        page,
        status_code=status_code,
        concept=concept,
        key=key,
        fields=form_fields(concept),
        values=values,
        version=version,
        errors=errors,
    )


@router.get("/records/{name}/{key}/edit", response_class=HTMLResponse, name="edit_page")
def edit_page(request: Request, name: str, key: str, db: DbSession, page: PageUser) -> Response:
    """The edit form of a record (editors)."""
    require(page.who, Role.editor)
    concept = _concept(name)
    item = visible_read(db, concept, key, page.who)
    values = {f["name"]: _shown(f, item.get(f["name"])) for f in form_fields(concept)}
    return _edit_form(request, page, concept, key, values, item["version"], {})


@router.post("/records/{name}/{key}/edit", name="edit_record")
def edit_record(
    request: Request, name: str, key: str, db: DbSession, page: PageUser, form: Form
) -> Response:
    """Save the form, naming the version it showed; errors come back beside their fields."""
    require(page.who, Role.editor)
    concept = _concept(name)
    fields = form_fields(concept)
    values = {f["name"]: str(form.get(f["name"], "")) for f in fields}
    version = form_version(str(form.get("version", "")))
    data, errors = _parse(fields, form)
    if not errors:
        try:
            record = update_visible(
                db, concept, key, concept.schema.model_validate(data), version, page.who
            )
            return RedirectResponse(f"/records/{name}/{record['key']}", status_code=303)
        except ValidationError as exc:
            for e in exc.errors():
                errors[str(e["loc"][0]) if e["loc"] else "_"] = e["msg"]
        except (InvalidData, Conflict) as exc:
            errors["_"] = str(exc)
    return _edit_form(request, page, concept, key, values, version, errors, status_code=422)


def form_version(text: str) -> int:
    """The version a form names; :class:`InvalidData` (a 422 page) for anything but a whole
    number a version can be (``version=abc`` is a tampered form, not a server error)."""
    if not re.fullmatch(r"[0-9]{1,10}", text) or not 1 <= int(text) <= INT_MAX:
        raise InvalidData(f"version: {text!r} is not a version; reload the record and edit again")
    return int(text)


@router.get("/audit", response_class=HTMLResponse, name="audit_page")
def audit_page(
    request: Request, db: DbSession, page: PageUser, actor: str | None = None
) -> Response:
    """The audit log, newest first (admins)."""
    require(page.who, Role.admin)

    def gather() -> dict[str, Any]:
        found = audit_entries(db, page.who.clearance, actor=actor or None, limit=200)
        return {"entries": found.entries, "total": found.total, "actor": actor or ""}

    return render_read(request, "audit.html", page, gather)
