"""Charts are written offline as SVG, PNG or self-contained HTML, and are reproducible."""

from __future__ import annotations

from pathlib import Path

import pytest

from scidip.errors import InvalidData
from scidip.materials import charts
from scidip.materials.risk import RiskResult

RESULTS = [
    RiskResult("Cobalt", "JPN", 2021, "ok", score=0.2),
    RiskResult("Cobalt", "JPN", 2022, "ok", score=0.25),
    RiskResult("Copper", "JPN", 2022, "ok", score=0.04),
    RiskResult("Gallium", "JPN", 2022, "refused", reason="no HS code"),
]


def test_risk_by_material_svg_is_reproducible(tmp_path: Path) -> None:
    a = charts.risk_by_material(RESULTS[1:], tmp_path / "a.svg").read_text()
    b = charts.risk_by_material(RESULTS[1:], tmp_path / "b.svg").read_text()
    assert a == b
    assert "<svg" in a and "Gallium" in a


def test_html_embeds_the_svg_without_external_resources(tmp_path: Path) -> None:
    text = charts.time_series(RESULTS, tmp_path / "t.html").read_text()
    assert text.startswith("<!DOCTYPE html>")
    assert "<svg" in text and "<script" not in text and "src=" not in text


def test_png(tmp_path: Path) -> None:
    rows = [{"exporter": "COD", "share_pct": 58.8}, {"exporter": "CHN", "share_pct": 29.4}]
    data = charts.supplier_shares(rows, tmp_path / "s.png", "Cobalt").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"


def test_unknown_format_and_empty_data_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidData):
        charts.risk_by_material(RESULTS, tmp_path / "x.pdf")
    with pytest.raises(InvalidData):
        charts.risk_by_material(RESULTS[3:], tmp_path / "x.svg")
