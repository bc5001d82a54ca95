"""The country brief's section from the materials capability."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.errors import NotFound
from scidip.materials.brief import materials_paragraphs
from scidip.registry.party.service import PARTY
from scidip.registry.record import get
from scidip.reports.context.country import Section, SectionBuilder


def materials_section(store_dir: Path, home: str) -> SectionBuilder:
    """A section builder: the raw materials the partner supplies to ``home`` and what a
    partnership would change (nothing when the materials store has not been fetched)."""

    def build(session: Session, code: str, as_of: date, clearance: Sensitivity) -> Section | None:
        try:
            home_name = get(session, PARTY, home, clearance).name
        except NotFound:
            home_name = home
        partner_name = get(session, PARTY, code, clearance).name
        paragraphs = materials_paragraphs(store_dir, home, home_name, code, partner_name, as_of)
        return Section("Critical raw materials", paragraphs) if paragraphs else None

    return build
