"""The country brief's materials section on the tiny world (hand-computed, see conftest)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.materials.brief import PartnerSupply, materials_paragraphs, partner_supplies
from scidip.materials.service import Context
from scidip.registry.party.schemas import PartyCreate
from scidip.registry.party.service import PARTY
from scidip.registry.record import create
from scidip.reports.context.sections import materials_section

# Cobalt 2022: production COD 100, AUS 30.7, CHN 10 t -> HHI = (100² + 30.7² + 10²) / 140.7².
HHI = (100**2 + 30.7**2 + 10**2) / 140.7**2
# Japan's imports with a quantity: COD 10 t (WGI 0.9), CHN 5 t (0.6), Taiwan 2 t (0.35); no own
# production. Import risk = (10×0.9 + 5×0.6 + 2×0.35) / 17 = 12.7 / 17.
# Moving 10 % of the imports from CHN and Taiwan (0.7 t) to COD: (10.7×0.9 + 4.5×0.6 + 1.8×0.35)
# / 17 = 12.96 / 17; the change is 0.26 / 12.7.
COBALT_FROM_COD = PartnerSupply(
    material="Cobalt",
    year=2022,
    share_pct=100 * 10 / 17,
    score=HHI * 12.7 / 17,
    score_after=HHI * 12.96 / 17,
    change_pct=100 * 0.26 / 12.7,
)


def _close(found: PartnerSupply, expected: PartnerSupply) -> None:
    assert (found.material, found.year) == (expected.material, expected.year)
    for name in ("share_pct", "score", "score_after", "change_pct"):
        assert getattr(found, name) == pytest.approx(getattr(expected, name), rel=1e-9)


def test_a_major_supplier_and_the_partnership_scenario(ctx: Context) -> None:
    found = partner_supplies(ctx, "JPN", "COD", date(2022, 12, 31))
    assert len(found) == 1
    _close(found[0], COBALT_FROM_COD)


def test_shares_below_ten_percent_are_left_out(ctx: Context) -> None:
    # China: cobalt 5/17 = 29.4 %, copper 20/60 = 33.3 % of Japan's imports.
    found = partner_supplies(ctx, "JPN", "CHN", date(2022, 12, 31))
    assert [(p.material, round(p.share_pct, 6)) for p in found] == [
        ("Copper", round(100 * 20 / 60, 6)),
        ("Cobalt", round(100 * 5 / 17, 6)),
    ]
    assert partner_supplies(ctx, "JPN", "FRA", date(2022, 12, 31)) == []


def test_no_data_before_the_first_year(ctx: Context) -> None:
    assert partner_supplies(ctx, "JPN", "COD", date(2020, 12, 31)) == []


def test_paragraphs_and_what_is_said_without_a_store(store_dir: Path, tmp_path: Path) -> None:
    text = materials_paragraphs(store_dir, "JPN", "Japan", "COD", "DR Congo", date(2022, 12, 31))
    assert text is not None
    # cut off: COD's 10 t become a shortfall at weight 1 instead of 0.9
    assert text[1] == (
        f"Cobalt: 58.8% of Japan's imports in 2022; supply-risk score (GeoPolRisk) "
        f"{HHI * 12.7 / 17:.4g}, {HHI * 12.96 / 17:.4g} if 10% of imports from other suppliers "
        "came from DR Congo (+2.0%), which would raise DR Congo's share of Japan's imports to "
        f"62.9%. If DR Congo stopped supplying, Japan would lack 10 t (58.8% of its supply); "
        f"score {HHI * 13.7 / 17:.4g} with the shortfall at the worst governance weight."
    )
    assert (
        materials_paragraphs(tmp_path, "JPN", "Japan", "COD", "DR Congo", date(2022, 1, 1)) is None
    )


def test_more_dependence_on_one_supplier_is_never_presented_as_lower_risk(
    store_dir: Path,
) -> None:
    text = materials_paragraphs(store_dir, "JPN", "Japan", "CHN", "China", date(2022, 12, 31))
    assert text is not None
    # 10 % of COD's and Taiwan's 12 t (1.2 t) move to CHN (0.6): 8.1 + 0.63 + 3.72 = 12.45
    cobalt = next(t for t in text if t.startswith("Cobalt"))
    assert cobalt == (
        f"Cobalt: 29.4% of Japan's imports in 2022; supply-risk score (GeoPolRisk) "
        f"{HHI * 12.7 / 17:.4g}, {HHI * 12.45 / 17:.4g} if 10% of imports from other suppliers "
        "came from China (-2.0%), which would raise China's share of Japan's imports to 36.5%: "
        "the score falls because China's governance weighs better than that of the suppliers "
        "it would replace, but Japan would depend more on a single supplier, which the score "
        "does not count. If China stopped supplying, Japan would lack 5 t (29.4% of its "
        f"supply); score {HHI * 14.7 / 17:.4g} with the shortfall at the worst governance weight."
    )


def test_section_builder_for_the_country_brief(store_dir: Path, session: Session) -> None:
    for code in ("JPN", "COD"):
        create(session, PARTY, PartyCreate(key=code), actor="test")
    build = materials_section(store_dir, "JPN")
    section = build(session, "COD", date(2022, 12, 31), Sensitivity.restricted)
    assert section is not None
    assert section.title == "Critical raw materials"
    assert section.paragraphs[0] == (
        "Raw materials of which Congo, The Democratic Republic of the supplies at least 10% of "
        "Japan's recorded imports, and how the supply risk would change if Japan sourced more "
        "from Congo, The Democratic Republic of the:"
    )


def test_the_other_direction_is_in_the_brief(store_dir: Path) -> None:
    text = materials_paragraphs(store_dir, "FRA", "France", "DEU", "Germany", date(2022, 12, 31))
    assert text is not None
    # France's 4 t of cobalt are 40 % of Germany's imports; 4 of the 35 t traded in 2022
    assert text[2] == (
        "What Germany depends on France for (BACI HS92 tonnes, 2022; production: World Mining "
        "Data, 2022): Cobalt 40.0% of Germany's imports (4 t; France 11.4% of world exports, "
        "0.0% of world production)."
    )
