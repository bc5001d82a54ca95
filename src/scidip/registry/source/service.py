"""Sources and the records that cite them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from scidip.registry.record import Concept
from scidip.registry.source.models import Source
from scidip.registry.source.schemas import SourceCreate


def _fields(s: Source) -> dict[str, Any]:
    return {
        "title": s.title,
        "publisher": s.publisher,
        "url": s.url,
        "published": s.published,
        "note": s.note,
    }


def _apply(_session: Session, s: Source, data: SourceCreate) -> None:
    s.title, s.publisher, s.url = data.title, data.publisher, data.url
    s.published, s.note = data.published, data.note


SOURCE = Concept("sources", Source, SourceCreate, _fields, _apply)
