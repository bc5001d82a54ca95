"""Who may see what, in one place: the records a reader's clearance hides, as SQL conditions
(:func:`shown`, transitive: a record that cannot be shown without a hidden one is hidden too) and
as the keys to take out of payloads (:func:`redact`) and to put back on write (:func:`restore`).

A record's own sensitivity is checked with :mod:`scidip.registry.access`; references are the
fields whose schema is a registry key (``party``, ``participants``, ``sources[].source``...),
found from the schemas, so that a new concept needs nothing here.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, and_, literal, not_, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import InstrumentedAttribute
from sqlalchemy.orm.relationships import RelationshipProperty

from scidip.db.base import Sensitivity
from scidip.registry.access import EVERYTHING, levels
from scidip.registry.concepts import CONCEPTS
from scidip.registry.record import Concept
from scidip.registry.schemas import KEY_PATTERN


def _is_key(prop: dict[str, Any]) -> bool:
    for option in [prop, *prop.get("anyOf", [])]:
        if option.get("pattern") == KEY_PATTERN:
            return True
        if option.get("type") == "array" and option.get("items", {}).get("pattern") == KEY_PATTERN:
            return True
    return False


@cache
def reference_fields() -> frozenset[str]:
    """Names of the fields that hold keys of other records, in any schema."""
    names: set[str] = set()
    for concept in CONCEPTS:
        schema = concept.schema.model_json_schema()
        for part in [schema, *schema.get("$defs", {}).values()]:
            for name, prop in part.get("properties", {}).items():
                if name != "key" and _is_key(prop):
                    names.add(name)
    return frozenset(names)


def relationship(concept: Concept[Any, Any], name: str) -> RelationshipProperty[Any] | None:
    attribute = getattr(concept.model, name, None)
    if isinstance(attribute, InstrumentedAttribute) and isinstance(
        attribute.property, RelationshipProperty
    ):
        return attribute.property
    return None


@cache
def _by_model() -> dict[type[Any], Concept[Any, Any]]:
    return {c.model: c for c in CONCEPTS}


def shown(
    concept: Concept[Any, Any], clearance: Sensitivity, depth: int = 4
) -> list[ColumnElement[bool]]:
    """The conditions for a record of ``concept`` to be shown to a reader with ``clearance``:
    its sensitivity allows it, and so (recursively) does each record it cannot be shown without
    (a required reference: a committee's agreement, a meeting's committee). A record that needs
    a hidden one is hidden itself, however many levels down (see :func:`redact`)."""
    if clearance is EVERYTHING:
        return []
    found: list[ColumnElement[bool]] = [concept.model.sensitivity.in_(levels(clearance))]
    if depth == 0:
        return found
    by_model = _by_model()
    for name, field in concept.schema.model_fields.items():
        relation = relationship(concept, name)
        if field.is_required() and relation is not None and not relation.uselist:
            target = by_model.get(relation.mapper.class_)
            if target is not None:
                inner = shown(target, clearance, depth - 1)
                found.append(getattr(concept.model, name).has(and_(*inner)))
    return found


def hidden_records(session: Session, clearance: Sensitivity) -> list[tuple[str, str]]:
    """(table, key) of each record a reader with ``clearance`` may not see: above it, or
    needing a record above it (:func:`shown`); one statement, none at all for the restricted
    clearance."""
    if clearance is EVERYTHING:
        return []
    parts = [
        select(literal(c.table).label("tbl"), c.model.key.label("key")).where(
            not_(and_(*shown(c, clearance)))
        )
        for c in CONCEPTS
    ]
    return [(table, key) for table, key in session.execute(union_all(*parts))]


def hidden_tables(session: Session, clearance: Sensitivity) -> dict[str, str]:
    """The table of each record above ``clearance``, by key."""
    found: dict[str, str] = {}
    for table, key in hidden_records(session, clearance):
        found.setdefault(key, table)
    return found


def hidden_keys(session: Session, clearance: Sensitivity) -> frozenset[str]:
    """Keys of every record above ``clearance``."""
    return frozenset(hidden_tables(session, clearance))


def hidden_references(payload: dict[str, Any], hidden: Mapping[str, str]) -> list[tuple[str, str]]:
    """(field, key) of each reference in ``payload`` to a hidden record, nested ones named as
    ``actions.party``: what a writer may not name, since they cannot know it exists."""
    refs = reference_fields()
    found: list[tuple[str, str]] = []
    for name, value in payload.items():
        for v in value if isinstance(value, list) else [value]:
            if name in refs and isinstance(v, str) and v in hidden:
                found.append((name, v))
            elif isinstance(v, dict):
                found += [(f"{name}.{f}", k) for f, k in hidden_references(v, hidden)]
    return found


def _mentions(value: Any, hidden: frozenset[str]) -> bool:
    refs = reference_fields()
    if isinstance(value, dict):
        return any(
            (k in refs and isinstance(v, str) and v in hidden) or _mentions(v, hidden)
            for k, v in value.items()
        )
    if isinstance(value, list):
        return any(_mentions(v, hidden) for v in value)
    return False


def redact(
    payload: dict[str, Any], concept: Concept[Any, Any], hidden: frozenset[str]
) -> dict[str, Any] | None:
    """``payload`` without references to ``hidden`` keys: an optional reference becomes null, a
    list of keys loses them, a nested item (an action, a citation) that names one is left out.
    ``None`` when a required reference is hidden: then the whole record is hidden."""
    if not hidden:
        return payload
    refs = reference_fields()
    out: dict[str, Any] = {}
    for name, value in payload.items():
        if name in refs and isinstance(value, str) and value in hidden:
            field = concept.schema.model_fields.get(name)
            if field is not None and field.is_required():
                return None
            value = None
        elif name in refs and isinstance(value, list):
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
    refs = reference_fields()
    out = dict(written)
    for name, old in stored.items():
        if name not in out:
            continue
        if name in refs and isinstance(old, str) and old in hidden:
            out[name] = out[name] if out[name] is not None else old
        elif name in refs and isinstance(old, list):
            kept = [v for v in old if isinstance(v, str) and v in hidden]
            out[name] = sorted(set(out[name] or []) | set(kept))
        elif isinstance(old, list):
            out[name] = [*(out[name] or []), *(v for v in old if _mentions(v, hidden))]
    return out
