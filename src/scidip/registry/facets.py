"""Facets of a list: how many of the records a list shows have each value of a field (kind,
sensitivity, a counterpart party, the year of their date), counted in SQL under the same
conditions as :func:`scidip.registry.read.list_records`, within the reader's clearance: a value
the reader may not see (a hidden party) is neither named nor counted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, extract, func, inspect, select
from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.registry.access import EVERYTHING
from scidip.registry.party.models import Party
from scidip.registry.party.service import PARTY
from scidip.registry.read import DATED, conditions, filter_fields, text_matches
from scidip.registry.record import Concept
from scidip.registry.visibility import relationship, shown

YEAR = "year"
"""The facet (and filter) of the year of a record's ``date``."""


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: what a filter takes, what a reader reads, how many records."""

    value: str
    label: str
    count: int


@cache
def facet_fields(concept: Concept[Any, Any]) -> tuple[str, ...]:
    """The fields a list of ``concept`` is faceted on: its enums (kind, mode...), its references
    to parties, ``year`` when it has a date, and its sensitivity."""
    found = []
    for name in filter_fields(concept):
        relation = relationship(concept, name)
        if relation is None:
            kind = getattr(getattr(concept.model, name).type, "enum_class", None)
            if kind is not None:
                found.append(name)
        elif relation.mapper.class_ is Party:
            found.append(name)
    if DATED in inspect(concept.model).composites:
        found.append(YEAR)
    return tuple(sorted(found, key=lambda name: name == "sensitivity"))  # sensitivity last


def facets(
    session: Session,
    concept: Concept[Any, Any],
    clearance: Sensitivity = EVERYTHING,
    *,
    filters: Mapping[str, str | None] | None = None,
    q: str | None = None,
    year: int | None = None,
) -> dict[str, list[FacetValue]]:
    """Each facet of :func:`facet_fields` with its values, most frequent first, over the records
    :func:`~scidip.registry.read.list_records` lists with the same arguments."""
    model = concept.model
    where = conditions(concept, clearance, filters, q, year)
    if q:  # the text search is confirmed on the names, as the list does
        rows = session.scalars(select(model).where(*where))
        where = [model.id.in_([r.id for r in rows if text_matches(r, q)])]
    found: dict[str, list[FacetValue]] = {}
    for name in facet_fields(concept):
        values = _counts(session, concept, name, where, clearance)
        found[name] = sorted(values, key=lambda v: (-v.count, v.label))
    return found


def _counts(
    session: Session,
    concept: Concept[Any, Any],
    name: str,
    where: list[ColumnElement[bool]],
    clearance: Sensitivity,
) -> list[FacetValue]:
    model = concept.model
    counted = func.count(model.id.distinct())
    if name == YEAR:
        year = extract("year", model.__table__.c[f"{DATED}_on"])
        years = session.execute(select(year, counted).where(*where).group_by(year))
        return [FacetValue(str(int(y)), str(int(y)), n) for y, n in years if y is not None]
    if relationship(concept, name) is None:
        column = getattr(model, name)
        values = session.execute(select(column, counted).where(*where).group_by(column))
        return [FacetValue(v.value, v.value.replace("_", " "), n) for v, n in values if v]
    query = (
        select(Party.key, Party.name, counted)
        .select_from(model)
        .join(getattr(model, name))
        .where(*where, *shown(PARTY, clearance))
        .group_by(Party.key, Party.name)
    )
    return [FacetValue(k, label or k, n) for k, label, n in session.execute(query)]
