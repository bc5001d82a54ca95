"""A list of any concept as a table, in the manner of Datasette: sorted on any column, filtered
(by text, by any facet value, by year), faceted, paged; and its CSV and JSON, which hold exactly
the rows and columns of the table under the same filters and sort (every page of them).

Sorting, filtering, counting and paging are the registry's read side, in SQL
(:func:`scidip.registry.read.list_records`, :func:`scidip.registry.facets.facets`); this module
only reads the query string and lays the answer out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.errors import InvalidData
from scidip.registry.concepts import CONCEPTS
from scidip.registry.facets import YEAR, facet_fields, facets
from scidip.registry.read import filter_fields, list_records, sort_fields
from scidip.registry.record import Concept
from scidip.registry.visibility import relationship

PAGE_SIZE = 50
SORT, PAGE, TEXT = "_sort", "_page", "q"
KEPT = ("as_of",)
"""Query parameters a list passes on but does not read (the pages' as-of date)."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("title", "publisher", "published", "url"),
    "parties": ("name", "kind", "existed_from", "existed_until"),
    "successions": ("predecessor", "successor", "kind", "date"),
    "organisations": ("name", "kind", "party", "founded", "dissolved"),
    "persons": ("name", "family_name", "given_name"),
    "posts": ("label", "organisation", "created"),
    "appointments": ("post", "person", "start", "end"),
    "memberships": ("organisation", "person", "role", "label", "start", "end"),
    "agreements": ("title", "kind"),
    "committees": ("name", "agreement", "counterpart", "cadence_months"),
    "meetings": ("date", "committee", "number", "place", "mode"),
    "engagements": ("date", "title", "kind", "counterpart_parties", "host"),
    "documents": ("date", "title", "kind", "issuer", "parties"),
    "figures": ("statement", "metric", "value", "as_of"),
}
"""The columns of each list after the key (every list ends with the sensitivity)."""

DEFAULT_SORT = {"engagements": "-date", "documents": "-date", "meetings": "-date"}

PAGES = {
    "parties": "/countries/{}",
    "agreements": "/agreements/{}",
    "posts": "/posts/{}",
    "organisations": "/bodies/{}",
    "persons": "/persons/{}",
    "committees": "/committees/{}",
    "sources": "/sources/{}",
    "engagements": "/engagements/{}",
    "documents": "/documents/{}",
}
"""The page of a record of each concept (the others: the record view)."""


def record_href(concept: str, key: str) -> str:
    """Where a record of ``concept`` is shown: its own page, or the record view."""
    return PAGES.get(concept, f"/records/{concept}/{{}}").format(key)


@cache
def _targets() -> dict[type[Any], str]:
    return {c.model: c.name for c in CONCEPTS}


def target(concept: Concept[Any, Any], field: str) -> str | None:
    """The concept a reference field points to (``None`` for other fields)."""
    relation = relationship(concept, field)
    return None if relation is None else _targets().get(relation.mapper.class_)


def cell_text(value: Any) -> str:
    """A value as a list shows it and its CSV holds it: dates as stored ("no later than 2022"
    for ``..2022``), lists of keys joined by ", ", nothing for none, words for enum values."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {cell_text(v)}" for k, v in value.items() if v)
    text = str(value)
    return f"no later than {text[2:]}" if text.startswith("..") else text


@dataclass(frozen=True)
class ListQuery:
    """What a list is asked for: text, filters (field: value), year, sort, page."""

    q: str | None
    filters: dict[str, str]
    year: int | None
    sort: str | None
    page: int

    def params(self, **changes: Any) -> dict[str, str]:
        """The query string of this list with ``changes`` (a ``None`` value drops the name)."""
        out: dict[str, Any] = {TEXT: self.q, **self.filters, YEAR: self.year, SORT: self.sort}
        out[PAGE] = self.page if self.page > 1 else None
        out.update(changes)
        return {k: str(v) for k, v in out.items() if v not in (None, "")}


def parse_query(concept: Concept[Any, Any], given: Mapping[str, str]) -> ListQuery:
    """The list query of a query string; an unknown name or a bad value is refused by name."""
    filters: dict[str, str] = {}
    allowed = set(filter_fields(concept))
    for name, value in given.items():
        if name in (TEXT, SORT, PAGE, YEAR, *KEPT) or not value:
            continue
        if name not in allowed:
            raise InvalidData(
                f"{concept.name} cannot be filtered on {name!r}; "
                f"it can on: {', '.join(sorted(allowed))}"
            )
        filters[name] = value
    sort = given.get(SORT) or DEFAULT_SORT.get(concept.name)
    if sort and sort.removeprefix("-") not in sort_fields(concept):
        raise InvalidData(f"{concept.name} cannot be sorted on {sort.removeprefix('-')!r}")
    year = _number(given, YEAR, concept, 1, 9999)
    if year is not None and YEAR not in facet_fields(concept):
        raise InvalidData(f"{concept.name} have no date to filter by year")
    return ListQuery(
        given.get(TEXT) or None, filters, year, sort, _number(given, PAGE, concept, 1, 10**6) or 1
    )


def _number(given: Mapping[str, str], name: str, concept: Any, low: int, high: int) -> int | None:
    text = given.get(name)
    if not text:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidData(f"{name} must be a whole number from {low} to {high}, not {text!r}")
    return int(text)


def columns(concept: Concept[Any, Any]) -> list[str]:
    """The list's columns: the key, the concept's own, the sensitivity."""
    return ["key", *COLUMNS.get(concept.name, ()), "sensitivity"]


def rows(
    session: Session,
    concept: Concept[Any, Any],
    clearance: Sensitivity,
    query: ListQuery,
    *,
    paged: bool = True,
) -> tuple[list[dict[str, Any]], int]:
    """The payloads the list shows (a page, or every page) and how many there are in all."""
    found = list_records(
        session,
        concept,
        clearance,
        filters=query.filters,
        q=query.q,
        year=query.year,
        sort=query.sort,
        limit=PAGE_SIZE if paged else None,
        offset=(query.page - 1) * PAGE_SIZE if paged else 0,
    )
    return found.items, found.total


def table(concept: Concept[Any, Any], items: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The rows as the CSV holds them: one column per list column, the text the page shows."""
    return [{c: cell_text(item.get(c)) for c in columns(concept)} for item in items]


def view(
    session: Session, concept: Concept[Any, Any], clearance: Sensitivity, given: Mapping[str, str]
) -> dict[str, Any]:
    """Everything the list template shows."""
    query = parse_query(concept, given)
    items, total = rows(session, concept, clearance, query)
    pages = max(1, -(-total // PAGE_SIZE))
    names = columns(concept)
    kept = {k: given[k] for k in KEPT if given.get(k)}
    found = facets(session, concept, clearance, filters=query.filters, q=query.q, year=query.year)
    return {
        "list": {
            "concept": concept.name,
            "columns": [
                {
                    "name": c,
                    "label": c.replace("_", " "),
                    "sortable": c in sort_fields(concept),
                    "sorted": _sorted(query.sort, c),
                    "href": _href(query, kept, **{SORT: _next_sort(query.sort, c), PAGE: None}),
                    "target": target(concept, c),
                }
                for c in names
            ],
            "rows": [
                {
                    "key": item["key"],
                    "cells": [(item.get(c), cell_text(item.get(c))) for c in names],
                }
                for item in items
            ],
            "total": total,
            "page": query.page,
            "pages": pages,
            "first": (query.page - 1) * PAGE_SIZE + 1,
            "previous": _href(query, kept, **{PAGE: query.page - 1}) if query.page > 1 else None,
            "next": _href(query, kept, **{PAGE: query.page + 1}) if query.page < pages else None,
            "facets": _facets(found, query, kept),
            "active": [
                (
                    f"{name.replace('_', ' ')}: {value}",
                    _href(query, kept, **{name: None, PAGE: None}),
                )
                for name, value in {**query.filters, YEAR: query.year}.items()
                if value is not None
            ],
            "q": query.q or "",
            "hidden": {k: v for k, v in query.params(q=None, _page=None).items()} | kept,
            "csv": f"/lists/{concept.name}.csv?{urlencode(query.params(_page=None))}",
            "json": f"/lists/{concept.name}.json?{urlencode(query.params(_page=None))}",
        }
    }


def _href(query: ListQuery, kept: dict[str, str], **changes: Any) -> str:
    return "?" + urlencode({**query.params(**changes), **kept})


def _sorted(sort: str | None, column: str) -> str:
    if sort == column:
        return "ascending"
    return "descending" if sort == f"-{column}" else ""


def _next_sort(sort: str | None, column: str) -> str:
    return f"-{column}" if sort == column else column


def _facets(found: dict[str, Any], query: ListQuery, kept: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for name, values in found.items():
        chosen = str(query.year) if name == YEAR else query.filters.get(name)
        out.append(
            {
                "name": name,
                "label": name.replace("_", " "),
                "options": [
                    {
                        "label": v.label,
                        "count": v.count,
                        "chosen": v.value == chosen,
                        "href": _href(query, kept, **{name: v.value, PAGE: None}),
                    }
                    for v in values[:12]
                ],
                "more": max(0, len(values) - 12),
            }
        )
    return [f for f in out if f["options"]]
