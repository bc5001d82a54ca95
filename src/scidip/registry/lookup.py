"""Records as a person names them: a record's label, the labels of picked keys, what a picker
offers for typed text, and what cites a source; each only what the reader may see, over the read
side (:mod:`scidip.registry.read`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.registry.access import levels
from scidip.registry.party.codes import is_state_code, state_name
from scidip.registry.read import ALIASES, SEARCHED, conditions, list_records, ordered, payloads
from scidip.registry.record import Concept
from scidip.registry.source.models import Citation
from scidip.registry.visibility import shown

LABELLED = ("name", "title", "label", "statement")
"""The fields a record's label is taken from, the first that is set."""


def label_of(concept: Concept[Any, Any], payload: Mapping[str, Any]) -> str:
    """What a person calls a record: its name, title, label or statement, with its aliases in
    other languages (``MATSUMOTO Yoichiro 松本洋一郎``); a state's ISO 3166 name; else its key."""
    text = next((str(payload[f]) for f in LABELLED if payload.get(f)), "")
    if not text and concept.name == "parties" and is_state_code(payload["key"]):
        text = state_name(payload["key"])
    aliases = [n["name"] for n in payload.get(ALIASES) or [] if n.get("lang")]
    return " ".join([text or payload["key"], *aliases])


def labels(
    session: Session, concept: Concept[Any, Any], clearance: Sensitivity, keys: Sequence[str]
) -> dict[str, str]:
    """The label (:func:`label_of`) of each of ``keys`` that names a record of ``concept`` the
    reader may see: what a form shows beside a picked key."""
    if not keys:
        return {}
    model = concept.model
    where = [model.sensitivity.in_(levels(clearance)), *shown(concept, clearance)]
    rows = list(session.scalars(select(model).where(model.key.in_(set(keys)), *where)))
    return {p["key"]: label_of(concept, p) for p in payloads(session, concept, rows)}


def lookup(
    session: Session,
    concept: Concept[Any, Any],
    clearance: Sensitivity,
    q: str | None,
    limit: int = 20,
) -> list[dict[str, str]]:
    """At most ``limit`` records of ``concept`` whose key, name, title or alias (any language)
    holds ``q``, by key, as ``{key, label}`` (:func:`label_of`): what a picker offers. Only
    what ``clearance`` may see, as in :func:`list_records`."""
    page = list_records(session, concept, clearance, q=q or None, limit=limit)
    return [{"key": p["key"], "label": label_of(concept, p)} for p in page.items]


@dataclass(frozen=True)
class Citing:
    """A record that cites a source, as a reader may see it."""

    concept: str
    key: str
    label: str
    locator: str | None


def cited_by(
    session: Session, concepts: Sequence[Concept[Any, Any]], source_id: int, clearance: Sensitivity
) -> list[Citing]:
    """The records of ``concepts`` that cite the source ``source_id`` (the reverse of
    :func:`citations_of`), only those the reader may see: one statement for the citations and
    one per table cited from, by concept then key."""
    rows = session.execute(
        select(Citation.record_table, Citation.record_id, Citation.locator).where(
            Citation.source_id == source_id
        )
    ).all()
    found: list[Citing] = []
    for concept in concepts:
        located = {rid: loc for table, rid, loc in rows if table == concept.table}
        if not located:
            continue
        where = conditions(concept, clearance)
        query = ordered(
            session, select(concept.model).where(concept.model.id.in_(located), *where), concept
        )
        for record in session.scalars(query):
            label = next(
                (str(v) for f in SEARCHED[1:] if (v := getattr(record, f, None))), record.key
            )
            found.append(Citing(concept.name, record.key, label, located[record.id]))
    return found
