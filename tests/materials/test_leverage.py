"""The two-way ledger on the tiny world (hand-computed, see conftest) and its shifts."""

from __future__ import annotations

import pytest

from scidip.errors import InvalidData
from scidip.materials.leverage import LedgerLine, Shift, shifts
from scidip.materials.service import Context, two_way_ledger


def test_both_directions_in_tonnes(ctx: Context) -> None:
    lines, moved = two_way_ledger(ctx, "FRA", "DEU", 2022)
    cobalt = next(x for x in lines if x.material == "Cobalt")
    # DEU→FRA 1 t of France's 1 t; FRA→DEU 4 t of Germany's 4 + 6 (COD) t; France's 4 t of the
    # 35 t of cobalt traded in 2022; France produces none
    assert cobalt == LedgerLine("Cobalt", 2022, 100.0, 40.0, pytest.approx(400 / 35), 0.0, 1.0, 4.0)
    copper = next(x for x in lines if x.material == "Copper")
    assert (copper.partner_share_of_home_imports_pct, copper.home_share_of_partner_imports_pct) == (
        None, 0.0,
    )  # fmt: skip
    assert moved == []  # one year of data only


def test_a_partner_inside_the_home_economy_is_refused(ctx: Context) -> None:
    with pytest.raises(InvalidData, match="overlaps EU27"):
        two_way_ledger(ctx, "EU27", "FRA", 2022)


def test_the_largest_shifts_either_way() -> None:
    def line(material: str, year: int, ours: float | None, theirs: float | None) -> LedgerLine:
        return LedgerLine(material, year, ours, theirs, None, None, 0.0, 0.0)

    lines = [line("A", 2018, 10.0, 50.0), line("A", 2024, 40.0, 49.5),
             line("B", 2018, 5.0, 0.0), line("B", 2024, 5.5, 20.0)]  # fmt: skip
    assert shifts(lines) == [
        Shift("A", "we depend on them", 2018, 2024, 10.0, 40.0),
        Shift("B", "they depend on us", 2018, 2024, 0.0, 20.0),
    ]  # fmt: skip
