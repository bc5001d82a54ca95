"""Documents: reading, writing, recommendations and their status."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.dates import Tri
from scidip.db.base import Sensitivity
from scidip.registry.access import EVERYTHING, visible
from scidip.registry.body.models import Organisation
from scidip.registry.document.models import (
    Document,
    DocumentFollowUp,
    DocumentKind,
    FollowUpStatus,
)
from scidip.registry.document.schemas import DocumentCreate
from scidip.registry.party.models import Party
from scidip.registry.person.models import Person
from scidip.registry.post.models import Post
from scidip.registry.record import Concept, key_of, ref, refs


def _fields(d: Document) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "title": d.title,
        "date": d.date,
        "issuer": key_of(d.issuer),
        "authors": [p.key for p in d.authors],
        "addressee_person": key_of(d.addressee_person),
        "addressee_post": key_of(d.addressee_post),
        "parties": [p.key for p in d.parties],
        "topics": d.topics,
        "summary": d.summary,
        "follow_ups": [{"date": f.date, "status": f.status, "note": f.note} for f in d.follow_ups],
    }


def _apply(session: Session, d: Document, data: DocumentCreate) -> None:
    d.kind, d.title, d.date, d.summary = data.kind, data.title, data.date, data.summary
    d.issuer = ref(session, Organisation, data.issuer, "issuer")
    d.authors = refs(session, Person, data.authors, "authors")
    d.addressee_person = ref(session, Person, data.addressee_person, "addressee_person")
    d.addressee_post = ref(session, Post, data.addressee_post, "addressee_post")
    d.parties = refs(session, Party, data.parties, "parties")
    d.topics = list(data.topics)
    d.follow_ups = [
        DocumentFollowUp(position=i, date=f.date, status=f.status, note=f.note)
        for i, f in enumerate(data.follow_ups)
    ]


DOCUMENT = Concept("documents", Document, DocumentCreate, _fields, _apply)


def status_on(document: Document, as_of: date) -> FollowUpStatus | None:
    """The document's status on ``as_of``: that of its last follow-up step surely taken by then
    (``None`` if none was)."""
    status = None
    for step in document.follow_ups:
        if step.date is None or step.date.on_or_before(as_of) is Tri.YES:
            status = step.status
    return status


def find_documents(
    session: Session,
    as_of: date,
    kind: DocumentKind | None = None,
    party: str | None = None,
    clearance: Sensitivity = EVERYTHING,
) -> list[tuple[Document, FollowUpStatus | None]]:
    """Documents issued by ``as_of`` (of ``kind``, concerning ``party``), with their status then."""
    query = select(Document)
    if kind is not None:
        query = query.where(Document.kind == kind)
    found = []
    for d in visible(session.scalars(query), clearance):
        if d.date is not None and d.date.on_or_before(as_of) is Tri.NO:
            continue
        if party and party not in {p.key for p in d.parties}:
            continue
        found.append((d, status_on(d, as_of)))
    return sorted(
        found, key=lambda ds: (ds[0].date.sort_key() if ds[0].date else (date.max,), ds[0].key)
    )
