"""The registry's read side: lists of any concept, filtered, searched, sorted and paginated in
SQL, with the reader's clearance as an SQL predicate, the citations of a whole page in one query,
and references to records above the reader's clearance taken out (and put back on write).

Beside ``record.py`` (the write side). The web API, the pages, the exports and the command line
are adapters over these functions, so that each shows the same records in the same shape. Every
read runs a bounded number of statements whatever the number of records
(``tests/registry/test_read.py`` counts them).

A record's own sensitivity is checked with :mod:`scidip.registry.access`; references are the
fields whose schema is a registry key (``party``, ``participants``, ``sources[].source``...),
found from the schemas, so that a new concept needs nothing here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Select,
    String,
    and_,
    cast,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import InstrumentedAttribute
from sqlalchemy.orm.relationships import RelationshipProperty

from scidip.dates import Tri, active_on
from scidip.db.base import Record, Sensitivity
from scidip.registry.access import EVERYTHING, levels
from scidip.registry.concepts import CONCEPTS
from scidip.registry.record import Concept
from scidip.registry.schemas import KEY_PATTERN, CitationIn
from scidip.registry.source.models import Citation, Source

TEMPORAL: dict[str, tuple[str, str]] = {
    "parties": ("existed_from", "existed_until"),
    "organisations": ("founded", "dissolved"),
    "appointments": ("start", "end"),
    "memberships": ("start", "end"),
}
"""Concepts whose records are active over a period: (start, end) attributes, end exclusive."""

SEARCHED = ("key", "name", "title", "label", "statement", "family_name", "given_name")
"""Fields that the ``q`` text search looks into, with every alias in ``other_names``."""

ALIASES = "other_names"


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


@cache
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
        relation = _relationship(concept, name)
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


def citations_of(
    session: Session, table: str, record_ids: Sequence[int]
) -> dict[int, list[CitationIn]]:
    """The sources each record cites, for a whole page of records in one statement."""
    found: dict[int, list[CitationIn]] = defaultdict(list)
    if not record_ids:
        return found
    rows = session.execute(
        select(Citation.record_id, Source.key, Citation.locator)
        .join(Source, Source.id == Citation.source_id)
        .where(Citation.record_table == table, Citation.record_id.in_(record_ids))
        .order_by(Citation.id)
    )
    for record_id, key, locator in rows:
        found[record_id].append(CitationIn(source=key, locator=locator))
    return found


def payloads(
    session: Session, concept: Concept[Any, Any], rows: Sequence[Record]
) -> list[dict[str, Any]]:
    """Records as JSON: the registry's meta (id, version, times) and the schema's fields."""
    cited = citations_of(session, concept.table, [r.id for r in rows])
    out = []
    for record in rows:
        data = concept.schema.model_validate(
            {
                "key": record.key,
                "sensitivity": record.sensitivity,
                "sources": cited.get(record.id, []),
                **concept.fields(record),
            }
        )
        out.append(
            {
                "id": record.id,
                "version": record.version,
                "created_at": record.created_at.isoformat(),
                "updated_at": record.updated_at.isoformat(),
                **data.model_dump(mode="json"),
            }
        )
    return out


@dataclass(frozen=True)
class Page:
    """One page of a list: the records (as payloads), how many pass the filters in all."""

    items: list[dict[str, Any]]
    total: int
    limit: int | None
    offset: int


def _relationship(concept: Concept[Any, Any], name: str) -> RelationshipProperty[Any] | None:
    attribute = getattr(concept.model, name, None)
    if isinstance(attribute, InstrumentedAttribute) and isinstance(
        attribute.property, RelationshipProperty
    ):
        return attribute.property
    return None


def _filter(concept: Concept[Any, Any], name: str, wanted: str) -> ColumnElement[bool]:
    if name not in filter_fields(concept):
        raise ValueError(f"{concept.name} cannot be filtered on {name!r}")
    attribute = getattr(concept.model, name)
    relation = _relationship(concept, name)
    if relation is None:  # a column: an enum's value it cannot hold matches nothing
        if isinstance(attribute.type, JSON):  # a list of keys: keys are ASCII, quoted in JSON
            return cast(attribute, String).contains(json.dumps(wanted), autoescape=True)
        kind = getattr(attribute.type, "enum_class", None)
        if kind is None:
            return attribute == wanted  # type: ignore[no-any-return]
        if wanted not in {m.value for m in kind}:
            return false()
        return attribute == kind(wanted)  # type: ignore[no-any-return]
    target = relation.mapper.class_
    if relation.uselist:
        return attribute.any(target.key == wanted)  # type: ignore[no-any-return]
    return attribute.has(target.key == wanted)  # type: ignore[no-any-return]


def _text(concept: Concept[Any, Any], q: str) -> ColumnElement[bool]:
    """Text in a searched field or an alias, case-insensitive; aliases are JSON, stored with
    non-ASCII letters as written or as ``\\u`` escapes, so both spellings are looked for."""
    needle = q.casefold()
    model = concept.model
    columns = [
        getattr(model, f)
        for f in SEARCHED
        if isinstance(getattr(model, f, None), InstrumentedAttribute)
    ]
    tests = [func.lower(c).contains(needle, autoescape=True) for c in columns]
    if hasattr(model, ALIASES):
        as_text = func.lower(cast(getattr(model, ALIASES), String))
        escaped = json.dumps(needle)[1:-1]
        tests += [
            as_text.contains(needle, autoescape=True),
            as_text.contains(escaped, autoescape=True),
        ]
    return or_(*tests)


def _confirmed(record: Record, q: str) -> bool:
    """Whether ``q`` is in one of the record's searched fields or aliases (as stored: a state's
    name from ISO 3166 is searched though its payload leaves it out)."""
    needle = q.casefold()
    texts = [str(getattr(record, f, None) or "") for f in SEARCHED]
    texts += [str(n.get("name", "")) for n in getattr(record, ALIASES, None) or []]
    return any(needle in t.casefold() for t in texts)


def _active(concept: Concept[Any, Any], record: Record, as_of: date) -> bool:
    start, end = TEMPORAL[concept.name]
    return active_on(getattr(record, start), getattr(record, end), as_of) is not Tri.NO


def _by_key(session: Session, query: Select[Any], concept: Concept[Any, Any]) -> Select[Any]:
    key = concept.model.key
    # Byte order on every engine (PostgreSQL's default collation would sort by locale).
    if session.get_bind().dialect.name == "postgresql":
        return query.order_by(key.collate("C"))
    return query.order_by(key)


def list_records(
    session: Session,
    concept: Concept[Any, Any],
    clearance: Sensitivity = EVERYTHING,
    *,
    filters: Mapping[str, str | None] | None = None,
    q: str | None = None,
    as_of: date | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Page:
    """The records of ``concept`` a reader with ``clearance`` may see, by key, as redacted
    payloads: only those whose ``filters`` fields have the value named (or, for lists, include
    it), with ``q`` in a name, title, key or alias, active on ``as_of`` (temporal concepts);
    ``limit`` of them from ``offset``.

    Clearance, filters and order are SQL; the text search narrows in SQL and is confirmed on
    the names themselves (so that ``q`` never matches JSON punctuation), and ``as_of`` uses the
    interval rule of :mod:`scidip.dates`: with either, the page is cut after them.
    """
    model = concept.model
    where = [model.sensitivity.in_(levels(clearance)), *shown(concept, clearance)]
    where += [_filter(concept, n, v) for n, v in (filters or {}).items() if v is not None]
    if q:
        where.append(_text(concept, q))
    temporal = as_of is not None and concept.name in TEMPORAL
    query = _by_key(session, select(model).where(*where), concept).options(selectinload("*"))
    hidden = hidden_keys(session, clearance)
    if q or temporal:
        rows = list(session.scalars(query))
        if temporal:
            assert as_of is not None
            rows = [r for r in rows if _active(concept, r, as_of)]
        if q:
            rows = [r for r in rows if _confirmed(r, q)]
        items = _redacted(session, concept, rows, hidden)
        end = None if limit is None else offset + limit
        return Page(items[offset:end], len(items), limit, offset)
    total = session.scalar(select(func.count()).select_from(model).where(*where)) or 0
    if limit is not None:
        query = query.limit(limit)
    rows = list(session.scalars(query.offset(offset)))
    return Page(_redacted(session, concept, rows, hidden), total, limit, offset)


def _redacted(
    session: Session, concept: Concept[Any, Any], rows: Sequence[Record], hidden: frozenset[str]
) -> list[dict[str, Any]]:
    found = (redact(p, concept, hidden) for p in payloads(session, concept, rows))
    return [p for p in found if p is not None]


def read_record(
    session: Session, concept: Concept[Any, Any], record: Record, clearance: Sensitivity
) -> dict[str, Any] | None:
    """One record as a reader with ``clearance`` sees it (``None``: hidden by a reference)."""
    return redact(payloads(session, concept, [record])[0], concept, hidden_keys(session, clearance))
