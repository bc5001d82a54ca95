"""How records look through the API: payloads (meta + schema, redacted), filters, pages.

Shared by the record routes, the exports and the pages, so that each shows the same thing.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from pydantic import BaseModel, Field, create_model
from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.dates import Tri, active_on
from scidip.db.base import Record, Sensitivity
from scidip.registry.access import visible
from scidip.registry.record import Concept, snapshot
from scidip.web.api.redact import KEY_PATTERN, hidden_keys, redact

TEMPORAL: dict[str, tuple[str, str]] = {
    "parties": ("existed_from", "existed_until"),
    "organisations": ("founded", "dissolved"),
    "appointments": ("start", "end"),
    "memberships": ("start", "end"),
}
"""Concepts whose records are active over a period: (start, end) attributes, end exclusive."""

SEARCHED = ("key", "name", "title", "label", "statement", "family_name", "given_name")
"""Fields that the ``q`` text search looks into, with every alias in ``other_names``."""


def read_schema(concept: Concept[Any, Any]) -> type[BaseModel]:
    """The concept's ``XRead`` schema (beside its ``XCreate`` in the same module)."""
    module = sys.modules[concept.schema.__module__]
    read: type[BaseModel] = getattr(module, concept.schema.__name__.replace("Create", "Read"))
    return read


def payload(session: Session, concept: Concept[Any, Any], record: Record) -> dict[str, Any]:
    """A record as JSON: its schema's fields and the registry's meta (id, version, times)."""
    return {
        "id": record.id,
        "version": record.version,
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
        **snapshot(session, concept, record).model_dump(mode="json"),
    }


def filter_fields(concept: Concept[Any, Any]) -> dict[str, str]:
    """The fields a list can be filtered on (name: description): enums and references to one
    or several records."""
    props = concept.schema.model_json_schema()["properties"]
    found: dict[str, str] = {}
    for name, prop in props.items():
        options = [prop, *prop.get("anyOf", [])]
        if name in ("key", "sources"):
            continue
        if any(o.get("pattern") == KEY_PATTERN or "$ref" in o for o in options):
            found[name] = f"Only records whose {name} is this value."
        elif any(o.get("items", {}).get("pattern") == KEY_PATTERN for o in options):
            found[name] = f"Only records whose {name} include this key."
    return found


def filter_model(concept: Concept[Any, Any]) -> type[BaseModel]:
    """A query-parameter model of the list filters of ``concept`` (plus ``q``)."""
    fields: dict[str, Any] = {
        name: (str | None, Field(default=None, description=text))
        for name, text in filter_fields(concept).items()
    }
    fields["q"] = (
        str | None,
        Field(default=None, description="Text in the key, name, title, label or any alias."),
    )
    return create_model(f"{read_schema(concept).__name__}Filter", **fields)


def _matches_text(item: dict[str, Any], q: str) -> bool:
    needle = q.casefold()
    texts = [str(item.get(f) or "") for f in SEARCHED]
    texts += [str(n.get("name", "")) for n in item.get("other_names") or []]
    return any(needle in t.casefold() for t in texts)


def matches(item: dict[str, Any], filters: dict[str, str | None]) -> bool:
    """Whether a payload passes the filters (``None`` values are no filter)."""
    for name, wanted in filters.items():
        if wanted is None:
            continue
        if name == "q":
            if not _matches_text(item, wanted):
                return False
            continue
        value = item.get(name)
        if isinstance(value, list) and wanted not in value:
            return False
        if not isinstance(value, list) and (value is None or str(value) != wanted):
            return False
    return True


def active(concept: Concept[Any, Any], record: Record, as_of: date) -> bool:
    """For a temporal concept, whether the record may be active on ``as_of`` (yes or unknown)."""
    start, end = TEMPORAL[concept.name]
    return active_on(getattr(record, start), getattr(record, end), as_of) is not Tri.NO


def visible_payloads(
    session: Session,
    concept: Concept[Any, Any],
    clearance: Sensitivity,
    as_of: date | None = None,
    filters: dict[str, str | None] | None = None,
) -> list[dict[str, Any]]:
    """Every record of ``concept`` the reader may see, as redacted payloads, by key; only those
    active on ``as_of`` when given (temporal concepts), and passing ``filters``."""
    # Sorted here, not by the database, so that the order is the same on every engine.
    rows = sorted(session.scalars(select(concept.model)), key=lambda r: str(r.key))
    hidden = hidden_keys(session, clearance)
    read = read_schema(concept)
    out: list[dict[str, Any]] = []
    for record in visible(rows, clearance):
        if as_of is not None and concept.name in TEMPORAL and not active(concept, record, as_of):
            continue
        item = redact(payload(session, concept, record), read, hidden)
        if item is not None and matches(item, filters or {}):
            out.append(item)
    return out


def page_model(concept: Concept[Any, Any]) -> type[BaseModel]:
    """The model of one page of a list of ``concept``."""
    read = read_schema(concept)
    return create_model(
        f"{read.__name__}Page",
        items=(list[read], Field(description="The records of this page, by key.")),  # type: ignore[valid-type]
        total=(int, Field(description="How many records pass the filters, on all pages.")),
        limit=(int, Field(description="The page size asked for.")),
        offset=(int, Field(description="How many records were skipped.")),
    )
