"""The command line's CSV output: one writer, cells neutralised against formulas."""

from __future__ import annotations

import pytest

from scidip.cli.output import Format, render


def test_csv_output_neutralises_formulas_and_keeps_numbers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = [{"name": "=1+1", "change": -0.5, "note": "@SUM(A1)", "codes": ["-x", "JPN"]}]
    render(rows, Format.csv)
    assert capsys.readouterr().out == "name,change,note,codes\n'=1+1,-0.5,'@SUM(A1),'-x; JPN\n"
