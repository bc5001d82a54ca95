"""The registry's read side: lists of any concept, filtered, searched, sorted and paginated in
SQL, with the reader's clearance as an SQL predicate, the citations of a whole page in one query,
and references to records above the reader's clearance taken out (and put back on write).

Beside ``record.py`` (the write side). The web API, the pages, the exports and the command line
are adapters over these functions, so that each shows the same records in the same shape. Every
read runs a bounded number of statements whatever the number of records
(``tests/registry/test_read.py`` counts them).

Who may see what (clearance as SQL conditions, redaction of references) is
:mod:`scidip.registry.visibility`.
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
    inspect,
    or_,
    select,
)
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import InstrumentedAttribute

from scidip.dates import Tri, active_on
from scidip.db.base import Record, Sensitivity
from scidip.registry.access import EVERYTHING, levels
from scidip.registry.record import Concept
from scidip.registry.schemas import KEY_PATTERN, CitationIn
from scidip.registry.source.models import Citation, Source
from scidip.registry.visibility import hidden_keys, redact, relationship, shown

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


def _filter(concept: Concept[Any, Any], name: str, wanted: str) -> ColumnElement[bool]:
    if name not in filter_fields(concept):
        raise ValueError(f"{concept.name} cannot be filtered on {name!r}")
    attribute = getattr(concept.model, name)
    relation = relationship(concept, name)
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
    """Text in a searched field or an alias, case-insensitive: the whole of ``q``, or each of its
    words (so that a person is found by a name in either order: "Yoichiro Matsumoto")."""
    words = q.split()
    if len(words) <= 1:
        return _phrase(concept, q.strip() or q)
    return or_(_phrase(concept, q), and_(*(_phrase(concept, w) for w in words)))


def _phrase(concept: Concept[Any, Any], q: str) -> ColumnElement[bool]:
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


def text_matches(record: Record, q: str) -> bool:
    """Whether ``q`` is in one of the record's searched fields or aliases, or each of its words
    is (as stored: a state's name from ISO 3166 is searched though its payload leaves it out)."""
    q = q.strip() or q
    texts = [str(getattr(record, f, None) or "").casefold() for f in SEARCHED]
    texts += [str(n.get("name", "")).casefold() for n in getattr(record, ALIASES, None) or []]
    if any(q.casefold() in t for t in texts):
        return True
    words = q.casefold().split()
    return len(words) > 1 and all(any(w in t for t in texts) for w in words)


def _active(concept: Concept[Any, Any], record: Record, as_of: date) -> bool:
    start, end = TEMPORAL[concept.name]
    return active_on(getattr(record, start), getattr(record, end), as_of) is not Tri.NO


DATED = "date"
"""The partial-date field a list's ``year`` filter looks at."""


@cache
def sort_fields(concept: Concept[Any, Any]) -> tuple[str, ...]:
    """The fields a list of ``concept`` can be sorted on: its scalar columns (text, numbers,
    enums) and its partial dates (by the first day of their period)."""
    mapper = inspect(concept.model)
    dates = set(mapper.composites.keys())
    parts = {c.key for comp in mapper.composites for c in comp.columns}
    found = [
        attr.key
        for attr in mapper.column_attrs
        if attr.key not in parts
        and attr.key not in ("id", "version")
        and not attr.key.endswith("_id")
        and not isinstance(attr.columns[0].type, JSON)
    ]
    return tuple(sorted(found + sorted(dates)))


def _sort_column(concept: Concept[Any, Any], name: str) -> Any:
    if name not in sort_fields(concept):
        raise ValueError(f"{concept.name} cannot be sorted on {name!r}")
    if name in inspect(concept.model).composites:
        return concept.model.__table__.c[f"{name}_on"]
    return getattr(concept.model, name)


def ordered(
    session: Session, query: Select[Any], concept: Concept[Any, Any], sort: str | None = None
) -> Select[Any]:
    """``query`` in the order of ``sort`` (a field; ``-field`` descending; empty values last),
    then by key. Text in byte order on every engine (PostgreSQL's default collation would sort
    by locale)."""
    postgres = session.get_bind().dialect.name == "postgresql"

    def bytewise(column: Any) -> Any:
        return column.collate("C") if postgres and isinstance(column.type, String) else column

    order = []
    if sort:
        column = bytewise(_sort_column(concept, sort.removeprefix("-")))
        order.append((column.desc() if sort.startswith("-") else column.asc()).nulls_last())
    return query.order_by(*order, bytewise(concept.model.key))


def year_condition(concept: Concept[Any, Any], year: int) -> ColumnElement[bool]:
    """Records whose ``date`` falls in ``year`` (by the first day of its period: a date known
    only as "no later than 2022" counts in 2022)."""
    if DATED not in inspect(concept.model).composites:
        raise ValueError(f"{concept.name} has no date to filter by year")
    column = concept.model.__table__.c[f"{DATED}_on"]
    return column.between(date(year, 1, 1), date(year, 12, 31))  # type: ignore[no-any-return]


def conditions(
    concept: Concept[Any, Any],
    clearance: Sensitivity,
    filters: Mapping[str, str | None] | None = None,
    q: str | None = None,
    year: int | None = None,
) -> list[ColumnElement[bool]]:
    """The SQL conditions of a list: the reader's clearance, the ``filters``, the text ``q``
    (narrowed in SQL, confirmed on the names by :func:`list_records`) and the ``year``."""
    model = concept.model
    where = [model.sensitivity.in_(levels(clearance)), *shown(concept, clearance)]
    where += [_filter(concept, n, v) for n, v in (filters or {}).items() if v is not None]
    if q:
        where.append(_text(concept, q))
    if year is not None:
        where.append(year_condition(concept, year))
    return where


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
    sort: str | None = None,
    year: int | None = None,
) -> Page:
    """The records of ``concept`` a reader with ``clearance`` may see, as redacted payloads:
    only those whose ``filters`` fields have the value named (or, for lists, include it), with
    ``q`` in a name, title, key or alias, active on ``as_of`` (temporal concepts), dated in
    ``year``; sorted on ``sort`` (``-field``: descending; :func:`sort_fields`), then by key;
    ``limit`` of them from ``offset``.

    Clearance, filters, year and order are SQL; the text search narrows in SQL and is confirmed
    on the names themselves (so that ``q`` never matches JSON punctuation), and ``as_of`` uses
    the interval rule of :mod:`scidip.dates`: with either, the page is cut after them.
    """
    model = concept.model
    where = conditions(concept, clearance, filters, q, year)
    temporal = as_of is not None and concept.name in TEMPORAL
    query = ordered(session, select(model).where(*where), concept, sort)
    query = query.options(selectinload("*"))
    hidden = hidden_keys(session, clearance)
    if q or temporal:
        rows = list(session.scalars(query))
        if temporal:
            assert as_of is not None
            rows = [r for r in rows if _active(concept, r, as_of)]
        if q:
            rows = [r for r in rows if text_matches(r, q)]
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
