"""The country brief's sections from the analytics capabilities (materials, indicators)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.errors import NotFound
from scidip.indicators.brief import indicators_paragraphs
from scidip.materials.brief import materials_paragraphs
from scidip.registry.party.service import PARTY
from scidip.registry.record import get
from scidip.reports.context.country import Section, SectionBuilder

Paragraphs = Callable[[Path, str, str, str, str, date], list[str] | None]
"""(store folder, home code, home name, partner code, partner name, as_of) -> paragraphs."""


def capability_section(
    title: str, paragraphs: Paragraphs, store_dir: Path, home: str
) -> SectionBuilder:
    """A section builder over a capability's store: left out when ``paragraphs`` has nothing."""

    def build(session: Session, code: str, as_of: date, clearance: Sensitivity) -> Section | None:
        try:
            home_name = get(session, PARTY, home, clearance).name
        except NotFound:
            home_name = home
        partner_name = get(session, PARTY, code, clearance).name
        found = paragraphs(store_dir, home, home_name, code, partner_name, as_of)
        return Section(title, found) if found else None

    return build


def materials_section(store_dir: Path, home: str) -> SectionBuilder:
    """The raw materials the partner supplies to ``home`` and what a partnership would change."""
    return capability_section("Critical raw materials", materials_paragraphs, store_dir, home)


def indicators_section(store_dir: Path, home: str) -> SectionBuilder:
    """The partner's research strengths and its co-authorship with ``home``."""
    return capability_section(
        "Research strengths and co-authorship", indicators_paragraphs, store_dir, home
    )
