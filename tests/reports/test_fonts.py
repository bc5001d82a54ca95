"""A PDF warns when no installed font covers a script of its text (fontconfig asked with an
empty font configuration, as on a machine without fonts for it)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from scidip.reports import fonts
from scidip.reports.render import html_to_pdf

HTML = "<!DOCTYPE html><html><body><p>KOTANI Motoko 小谷元子 Москва</p></body></html>"


def _words(pdf: bytes) -> str:
    pages = [p.get_textpage().get_text_range() for p in pdfium.PdfDocument(pdf)]
    return " ".join(" ".join(pages).replace("-\r\n", "").split())


def test_the_scripts_of_a_text() -> None:
    found = fonts.scripts_in("Tokyo 東京 とうきょう Ωmega")
    assert {k: v[1] for k, v in found.items()} == {
        "Chinese characters (kanji)": "fonts-noto-cjk",
        "Japanese kana": "fonts-noto-cjk",
        "Greek": "fonts-dejavu-core",
    }
    assert fonts.scripts_in("Science & Technology — 2022") == {}


def test_no_warning_when_fonts_cover_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "has_font_for", lambda char: True)
    assert "Warning" not in _words(html_to_pdf(HTML))


def test_a_pdf_warns_when_no_font_covers_a_script(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if fonts.shutil.which("fc-list") is None:
        pytest.skip("needs fontconfig's fc-list")
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><fontconfig></fontconfig>', encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    fonts.has_font_for.cache_clear()
    try:
        warning = fonts.font_warning(HTML)  # fc-list runs with no font configured
    finally:
        fonts.has_font_for.cache_clear()
        monkeypatch.delenv("FONTCONFIG_FILE")
    assert warning == (
        "No installed font covers Chinese characters (kanji), Cyrillic: those characters print "
        "as empty boxes in this PDF. Install a font for them (on Debian or Ubuntu: apt-get "
        "install fonts-dejavu-core fonts-noto-cjk) and build the PDF again, or read the HTML or "
        "Markdown version."
    )
    # The PDF itself (laid out with this machine's fonts) carries it on its first page.
    monkeypatch.setattr(fonts, "has_font_for", lambda char: ord(char) < 0x250)
    assert _words(html_to_pdf(HTML)).startswith(f"Warning: {warning}")
