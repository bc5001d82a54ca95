"""Published figures: reading and writing them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.registry.body.models import Organisation
from scidip.registry.figure.models import PublishedFigure
from scidip.registry.figure.schemas import FigureCreate
from scidip.registry.party.models import Party
from scidip.registry.record import Concept, key_of, ref, refs


def _fields(f: PublishedFigure) -> dict[str, Any]:
    return {
        "statement": f.statement,
        "home_party": f.home_party,
        "metric": f.metric,
        "value": f.value,
        "as_of": f.as_of,
        "kinds": f.kinds,
        "parties": f.parties,
        "organisation": key_of(f.organisation),
        "note": f.note,
    }


def _apply(session: Session, f: PublishedFigure, data: FigureCreate) -> None:
    ref(session, Party, data.home_party, "home_party")
    refs(session, Party, data.parties, "parties")
    f.statement, f.home_party, f.metric, f.value = (
        data.statement,
        data.home_party,
        data.metric,
        data.value,
    )
    f.as_of, f.note = data.as_of, data.note
    f.kinds = [k.value for k in data.kinds]
    f.parties = list(data.parties)
    f.organisation = ref(session, Organisation, data.organisation, "organisation")


FIGURE = Concept("figures", PublishedFigure, FigureCreate, _fields, _apply)


def list_figures(session: Session) -> list[PublishedFigure]:
    """All published figures, by key."""
    return list(session.scalars(select(PublishedFigure).order_by(PublishedFigure.key)))
