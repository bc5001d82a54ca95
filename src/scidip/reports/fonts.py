"""Whether the fonts installed cover the scripts of a report's text: WeasyPrint finds its fonts
through fontconfig, and a character no installed font has prints as an empty box. A PDF whose text
holds a script without a font carries a warning on its first page (and one is logged), naming the
script and the package to install (README: "Fonts for PDFs")."""

from __future__ import annotations

import logging
import shutil
import subprocess
import unicodedata
from functools import cache

log = logging.getLogger(__name__)

SCRIPTS = (
    ("CJK UNIFIED IDEOGRAPH", "Chinese characters (kanji)", "fonts-noto-cjk"),
    ("HIRAGANA", "Japanese kana", "fonts-noto-cjk"),
    ("KATAKANA", "Japanese kana", "fonts-noto-cjk"),
    ("HANGUL", "Korean (Hangul)", "fonts-noto-cjk"),
    ("CYRILLIC", "Cyrillic", "fonts-dejavu-core"),
    ("GREEK", "Greek", "fonts-dejavu-core"),
    ("ARABIC", "Arabic", "fonts-noto-core"),
    ("HEBREW", "Hebrew", "fonts-noto-core"),
    ("DEVANAGARI", "Devanagari", "fonts-noto-core"),
    ("THAI", "Thai", "fonts-noto-core"),
)
"""Unicode name prefix, the script as a reader names it, the Debian package with a font for it."""


def scripts_in(text: str) -> dict[str, tuple[str, str]]:
    """The non-Latin scripts of ``text``: script -> (a character of it, the package to install)."""
    found: dict[str, tuple[str, str]] = {}
    for char in set(text):
        if ord(char) < 0x250:  # Latin (with its extensions), digits, punctuation
            continue
        name = unicodedata.name(char, "")
        for prefix, script, package in SCRIPTS:
            if name.startswith(prefix) and script not in found:
                found[script] = (char, package)
    return found


@cache
def has_font_for(char: str) -> bool | None:
    """Whether an installed font (fontconfig) has ``char``; ``None`` when it cannot be asked."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        done = subprocess.run(
            [fc_list, f":charset={ord(char):x}", "family"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return bool(done.stdout.strip())


def missing_fonts(text: str) -> list[tuple[str, str]]:
    """(script, package) for each script of ``text`` no installed font covers, by script."""
    return sorted(
        (script, package)
        for script, (char, package) in scripts_in(text).items()
        if has_font_for(char) is False
    )


def font_warning(text: str) -> str | None:
    """The warning a PDF of ``text`` carries when a script has no font (``None``: all covered)."""
    missing = missing_fonts(text)
    if not missing:
        return None
    scripts = ", ".join(s for s, _ in missing)
    packages = " ".join(sorted({p for _, p in missing}))
    message = (
        f"No installed font covers {scripts}: those characters print as empty boxes in this "
        f"PDF. Install a font for them (on Debian or Ubuntu: apt-get install {packages}) and "
        "build the PDF again, or read the HTML or Markdown version."
    )
    log.warning(message)
    return message
