"""The country brief's sections from the analytics capabilities (materials, indicators, the
technology tracker, brain circulation), and the annual chapter's evidence annex."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.errors import NotFound
from scidip.indicators.brief import indicators_paragraphs
from scidip.indicators.mobility import brief as mobility_brief
from scidip.indicators.tech import brief as tech_brief
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


def technologies_section(store_dir: Path, home: str) -> SectionBuilder:
    """The technologies where the partner leads or is ahead of ``home`` (the tracker)."""
    return capability_section(
        "Technologies where the partner leads or complements us",
        tech_brief.tech_paragraphs,
        store_dir,
        home,
    )


def flows_section(store_dir: Path, home: str) -> SectionBuilder:
    """Scholars moving between ``home`` and the partner (MPIDR reference, SciDip's own)."""
    return capability_section(
        "Researcher flows with the partner", mobility_brief.flow_paragraphs, store_dir, home
    )


def evidence_annex(
    session: Session, store_dir: Path, home: str, year: int, clearance: Sensitivity
) -> list[Section]:
    """The annual chapter's optional evidence annex: the home country's technology positions
    and its net scholar migration, each left out when there is nothing to say."""
    try:
        home_name = get(session, PARTY, home, clearance).name
    except NotFound:
        home_name = home
    parts = [
        ("Evidence annex: technology positions", tech_brief.annex_paragraphs),
        ("Evidence annex: net scholar migration", mobility_brief.annex_paragraphs),
    ]
    found = [(title, build(store_dir, home, home_name, year)) for title, build in parts]
    return [Section(title, lines) for title, lines in found if lines]
