"""The tracker and the brain-circulation figures where the office reads them: the country
brief's two sections and the annual chapter's evidence annex, each with source, method and the
synthetic label."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from scidip.indicators.ingest import ingest
from scidip.indicators.mobility import service as mobility
from scidip.indicators.mobility.reference import load_reference
from scidip.indicators.store import Store
from scidip.indicators.tech import service as tech
from scidip.indicators.tech.definitions import parse_list
from scidip.indicators.tech.synthetic import definitions_yaml, write_planted
from scidip.reports.context.annual import build_annual
from scidip.reports.context.country import build_country
from scidip.reports.context.sections import evidence_annex, flows_section, technologies_section
from scidip.reports.render import ReportFormat, render_report

MPIDR = Path(__file__).parents[2].parent / "shared" / "data" / "mpidr-scholarly-migration"
END_2022 = date(2022, 12, 31)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not MPIDR.is_dir():
        pytest.skip(f"{MPIDR} is not there")
    root = tmp_path_factory.mktemp("evidence")
    write_planted(root / "snap")
    store = Store(root / "indicators")
    ingest(root / "snap", store)
    tech.compute(store, [parse_list(definitions_yaml(), "syn.yaml")])
    load_reference(MPIDR, store)
    mobility.compute(store)
    return store.root


def test_the_brief_says_where_the_partner_leads_or_complements_us(mofa: Session, store_dir):
    sections = [technologies_section(store_dir, "JPN"), flows_section(store_dir, "JPN")]
    brief = build_country(mofa, "JPN", "USA", END_2022, date(2026, 1, 31), sections=sections)
    techs, flows = brief.extra
    assert techs.title == "Technologies where the partner leads or complements us"
    assert techs.paragraphs[0].startswith("SYNTHETIC DATA")
    assert "technology definitions syn test (mapping v1)" in techs.paragraphs[1]
    assert "fractional counting, 2016-2020" in techs.paragraphs[1]
    assert techs.paragraphs[2:] == [
        "United States leads in: Planted lead3: United States 75.0% (rank 1), Japan 25.0%.",
        "United States is ahead of Japan in: Planted lead2: United States 33.3% (rank 2), "
        "Japan 0.0%.",
    ]
    assert flows.title == "Researcher flows with the partner"
    # The Scopus flows end in 2018; SciDip's own (synthetic) in 2019.
    assert flows.paragraphs[0].startswith(
        "2014-2018: 4,689 scholars moved from Japan to United States and 4,677 the other way "
        "(net -12 for Japan). Source: MPIDR Scopus flows: Akbaritabar, A., Theile, T."
    )
    assert flows.paragraphs[1] == (
        "2015-2019: 1 scholar moved from Japan to United States and 0 the other way (net -1 for "
        "Japan). Source: SciDip's own computation from the ingested OpenAlex authorships. "
        "SYNTHETIC DATA: these indicators come from a generated snapshot, not real papers."
    )
    assert flows.paragraphs[2].startswith("Method (MPIDR): a scholar's country in a year")


def test_a_partner_absent_from_the_tracker_gets_no_technology_section(mofa: Session, store_dir):
    brief = build_country(mofa, "JPN", "KAZ", END_2022, date(2026, 1, 31),
                          sections=[technologies_section(store_dir, "JPN")])  # fmt: skip
    assert [s.paragraphs[-1] for s in brief.extra] == [
        "Kazakhstan neither leads nor is ahead of Japan in a tracked technology."
    ]


def test_the_annual_annex_is_optional_and_carries_source_and_method(mofa: Session, store_dir):
    annual = build_annual(mofa, "JPN", 2021, date(2026, 1, 31), chart=False)
    without = render_report("annual", ReportFormat.md, a=annual).decode()
    assert "Evidence annex" not in without
    annual.annex = evidence_annex(mofa, store_dir, "JPN", 2021, annual.clearance)
    assert [s.title for s in annual.annex] == [
        "Evidence annex: technology positions",
        "Evidence annex: net scholar migration",
    ]
    assert annual.annex[0].paragraphs[2:] == [
        "Japan leads in 0 of the 3 tracked technologies where it publishes.",
        "Best positions: Planted lead3: rank 2, 25.0% (lead USA, 75.0%); Planted switch: rank 2,"
        " 0.0% (lead CHN, 100.0%); Planted lead2: rank 3, 0.0% (lead CHN, 66.7%).",
    ]
    # The published Scopus series for Japan, 2016-2020 (in minus out, per 1,000 scholars).
    assert annual.annex[1].paragraphs[0] == (
        "Net migration of scholars to Japan (in minus out), Scopus series: 2016: -366 (-1.04 per "
        "1,000 of 351,161); 2017: -590 (-1.67 per 1,000 of 353,067); 2018: -595 (-1.67 per 1,000"
        " of 356,238); 2019: -487 (-1.36 per 1,000 of 357,321); 2020: -640 (-1.83 per 1,000 of "
        "350,499)."
    )
    for fmt in (ReportFormat.md, ReportFormat.html):
        text = render_report("annual", fmt, a=annual).decode()
        assert "Evidence annex: net scholar migration" in text
        assert text.index("Evidence annex") < text.rindex("Sources")


def test_nothing_computed_leaves_the_annex_out(mofa: Session, tmp_path: Path):
    assert evidence_annex(mofa, tmp_path, "JPN", 2021, build_annual(
        mofa, "JPN", 2021, date(2026, 1, 31), chart=False).clearance) == []  # fmt: skip
