"""Bootstrap stability intervals (scidip.indicators.stability), hand-checked with a seed.

Three papers of 2020 and two units: W1 all A's (weight 1), W2 half A's and half B's, W3 all B's;
W1 and W3 are top-10 % papers (t = 1), W2 is not. With seed 7, 4 samples and a 50 % interval
the bounds are the sorted values at positions ⌊0.25 · 4⌋ = 1 and ⌊0.75 · 4⌋ = 3.
"""

from __future__ import annotations

import zlib

import numpy as np
import pyarrow as pa
import pytest

from scidip.indicators.stability import Mean, population_intervals, positions, unit_intervals

ROWS = pa.table({
    "period_end": pa.array([2020] * 4, pa.int32()), "unit": ["A", "A", "B", "B"],
    "work_key": [1, 2, 2, 3], "weight": [1.0, 0.5, 0.5, 1.0], "top": [1.0, 0.0, 0.0, 1.0],
})  # fmt: skip


def _draws(key: str, n: int) -> list[list[int]]:
    return np.random.default_rng([7, zlib.crc32(key.encode())]).integers(0, n, (4, n)).tolist()


def test_the_leiden_rankings_positions():
    # CalcStabilityIntervals: ⌊(1 − 0.95)/2 · 1000⌋ and ⌊(1 − 0.05/2) · 1000⌋.
    assert positions(1000, 0.95) == (25, 975)
    assert positions(4, 0.5) == (1, 3)


def test_shares_and_ranks_drawn_within_the_population():
    # The period's draws (0 = W1, 1 = W2, 2 = W3), then A's and B's sums:
    assert _draws("2020", 3) == [[2, 1, 1], [1, 1, 2], [0, 2, 1], [2, 1, 1]]
    # W3 W2 W2: A 1, B 2 (shares 33⅓ / 66⅔ %, ranks 2 / 1); W2 W2 W3: the same;
    # W1 W3 W2: A 1.5, B 1.5 (50 / 50 %, both rank 1); W3 W2 W2 again.
    # A's shares sorted: 33⅓, 33⅓, 33⅓, 50; B's: 50, 66⅔, 66⅔, 66⅔. A's ranks 1, 2, 2, 2.
    got = population_intervals(
        ROWS, ["period_end"], "unit", shares={"share_pct": "weight"}, ranks={"rank": "weight"},
        samples=4, coverage=0.5, seed=7,
    ).to_pylist()  # fmt: skip
    assert got == [
        {"period_end": 2020, "unit": "A", "share_pct_lb": pytest.approx(100 / 3),
         "share_pct_ub": 50.0, "rank_lb": 2, "rank_ub": 2},
        {"period_end": 2020, "unit": "B", "share_pct_lb": pytest.approx(200 / 3),
         "share_pct_ub": pytest.approx(200 / 3), "rank_lb": 1, "rank_ub": 1},
    ]  # fmt: skip


def test_a_unit_left_unranked_keeps_its_share():
    got = population_intervals(
        ROWS, ["period_end"], "unit", shares={"share_pct": "weight"}, ranks={"rank": "weight"},
        unranked=["B"], samples=4, coverage=0.5, seed=7,
    ).to_pylist()  # fmt: skip
    # Alone among the ranked, A is first in every sample; B has no rank.
    assert [(r["unit"], r["rank_lb"], r["rank_ub"], r["share_pct_ub"]) for r in got] == [
        ("A", 1, 1, 50.0), ("B", None, None, pytest.approx(200 / 3))
    ]  # fmt: skip


def test_weighted_means_drawn_within_each_unit():
    # A's papers W1 (weight 1, t 1) and W2 (0.5, 0); B's W2 (0.5, 0) and W3 (1, 1).
    assert _draws("2020|A", 2) == [[1, 1], [0, 1], [1, 1], [0, 1]]
    assert _draws("2020|B", 2) == [[0, 0], [1, 0], [1, 0], [0, 0]]
    # A: W2 W2 → 0; W1 W2 → 1 / 1.5 = 66⅔ %; 0; 66⅔ %. B: 0; W3 W2 → 66⅔ %; 66⅔ %; 0.
    got = unit_intervals(
        ROWS, ["period_end", "unit"], [Mean("pp_top_pct", "top", "weight", 100.0)],
        samples=4, coverage=0.5, seed=7,
    ).to_pylist()  # fmt: skip
    assert got == [
        {"period_end": 2020, "unit": "A", "pp_top_pct_lb": 0.0,
         "pp_top_pct_ub": pytest.approx(200 / 3)},
        {"period_end": 2020, "unit": "B", "pp_top_pct_lb": 0.0,
         "pp_top_pct_ub": pytest.approx(200 / 3)},
    ]  # fmt: skip


def test_the_same_seed_gives_the_same_bounds_in_any_row_order():
    args = {"shares": {"s": "weight"}, "ranks": {"r": "weight"}, "samples": 50, "seed": 3}
    a = population_intervals(ROWS, ["period_end"], "unit", **args)  # type: ignore[arg-type]
    shuffled = ROWS.take([3, 1, 0, 2])
    b = population_intervals(shuffled, ["period_end"], "unit", **args)  # type: ignore[arg-type]
    assert a.to_pylist() == b.to_pylist()


def test_the_bounds_do_not_depend_on_the_threads_that_drew_them(monkeypatch: pytest.MonkeyPatch):
    """Units and populations draw side by side on threads; each draws from its own generator,
    so one thread or four give the same bounds, row for row."""
    import scidip.indicators.stability as stability

    rng = np.random.default_rng(3)
    n = 3_000
    rows = pa.table({
        "period_end": pa.array(rng.integers(2018, 2021, n), pa.int32()),
        "unit": [f"U{u}" for u in rng.integers(0, 40, n)],
        "work_key": np.arange(n), "weight": rng.random(n), "top": rng.integers(0, 2, n) * 1.0,
    })  # fmt: skip
    means = [Mean("top_pct", "top", "weight", 100.0)]

    def both() -> tuple[pa.Table, pa.Table]:
        return (
            unit_intervals(rows, ["period_end", "unit"], means, samples=50, seed=1),
            population_intervals(rows, ["period_end"], "unit", shares={"share": "weight"},
                                 ranks={"rank": "top"}, samples=50, seed=1),
        )  # fmt: skip

    monkeypatch.setattr(stability, "MAX_THREADS", 1)
    one = both()
    monkeypatch.setattr(stability, "MAX_THREADS", 4)
    monkeypatch.setattr(stability.os, "cpu_count", lambda: 4)
    four = both()
    assert one[0].num_rows == 120 and one[1].num_rows == 120  # 3 periods x 40 units
    assert one[0].equals(four[0]) and one[1].equals(four[1])
    assert one[0].column("top_pct_lb").null_count == 0
