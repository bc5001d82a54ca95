"""What a reader may not see appears nowhere: references to records above their clearance are
taken out of the payloads they get, and put back into what they write.

A record's own sensitivity is checked by the registry (``access.allowed``); this module handles
the keys a visible record holds of *other* records. A reference field is any field whose schema
is a registry key (``party``, ``participants``, ``sources[].source``...), found from the schemas,
so that a new concept needs nothing here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.registry.concepts import CONCEPTS

KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$"


def _is_key(prop: dict[str, Any]) -> bool:
    options = [prop, *prop.get("anyOf", [])]
    for option in options:
        if option.get("pattern") == KEY_PATTERN:
            return True
        if option.get("type") == "array" and option.get("items", {}).get("pattern") == KEY_PATTERN:
            return True
    return False


def _reference_fields() -> frozenset[str]:
    names: set[str] = set()
    for concept in CONCEPTS:
        schema = concept.schema.model_json_schema()
        for part in [schema, *schema.get("$defs", {}).values()]:
            for name, prop in part.get("properties", {}).items():
                if name != "key" and _is_key(prop):
                    names.add(name)
    return frozenset(names)


REFERENCE_FIELDS = _reference_fields()
"""Names of the fields that hold keys of other records, in any schema (computed once)."""


def hidden_keys(session: Session, clearance: Sensitivity) -> frozenset[str]:
    """Keys of every record above ``clearance`` (none for the restricted clearance)."""
    return frozenset(hidden_tables(session, clearance))


def hidden_tables(session: Session, clearance: Sensitivity) -> dict[str, str]:
    """The table of each record above ``clearance``, by key."""
    above = [s for s in Sensitivity if s.rank > clearance.rank]
    found: dict[str, str] = {}
    if not above:
        return found
    for concept in CONCEPTS:
        model = concept.model
        for key in session.scalars(select(model.key).where(model.sensitivity.in_(above))):
            found.setdefault(key, concept.table)
    return found


def hidden_references(payload: dict[str, Any], hidden: dict[str, str]) -> list[tuple[str, str]]:
    """(field, key) of each reference in ``payload`` to a hidden record, nested ones named as
    ``actions.party``: what a writer may not name, since they cannot know it exists."""
    found: list[tuple[str, str]] = []
    for name, value in payload.items():
        values = value if isinstance(value, list) else [value]
        for v in values:
            if name in REFERENCE_FIELDS and isinstance(v, str) and v in hidden:
                found.append((name, v))
            elif isinstance(v, dict):
                found += [(f"{name}.{f}", k) for f, k in hidden_references(v, hidden)]
    return found


def _mentions(value: Any, hidden: frozenset[str]) -> bool:
    if isinstance(value, dict):
        return any(
            (k in REFERENCE_FIELDS and isinstance(v, str) and v in hidden) or _mentions(v, hidden)
            for k, v in value.items()
        )
    if isinstance(value, list):
        return any(_mentions(v, hidden) for v in value)
    return False


def redact(
    payload: dict[str, Any], schema: type[BaseModel], hidden: frozenset[str]
) -> dict[str, Any] | None:
    """``payload`` without references to ``hidden`` keys: an optional reference becomes null, a
    list of keys loses them, a nested item (an action, a citation) that names one is left out.
    ``None`` when a required reference is hidden: then the whole record is hidden."""
    if not hidden:
        return payload
    out: dict[str, Any] = {}
    for name, value in payload.items():
        if name in REFERENCE_FIELDS and isinstance(value, str) and value in hidden:
            field = schema.model_fields.get(name)
            if field is not None and field.is_required():
                return None
            value = None
        elif name in REFERENCE_FIELDS and isinstance(value, list):
            value = [v for v in value if not (isinstance(v, str) and v in hidden)]
        elif isinstance(value, list):
            value = [v for v in value if not _mentions(v, hidden)]
        out[name] = value
    return out


def restore(
    stored: dict[str, Any], written: dict[str, Any], hidden: frozenset[str]
) -> dict[str, Any]:
    """``written`` (what a reader sent, based on a redacted read) with the hidden references of
    ``stored`` put back, so that editing a record never drops what the editor could not see."""
    if not hidden:
        return written
    out = dict(written)
    for name, old in stored.items():
        if name not in out:
            continue
        if name in REFERENCE_FIELDS and isinstance(old, str) and old in hidden:
            out[name] = out[name] if out[name] is not None else old
        elif name in REFERENCE_FIELDS and isinstance(old, list):
            kept = [v for v in old if isinstance(v, str) and v in hidden]
            out[name] = sorted(set(out[name] or []) | set(kept))
        elif isinstance(old, list):
            out[name] = [*(out[name] or []), *(v for v in old if _mentions(v, hidden))]
    return out
