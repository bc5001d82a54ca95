"""Which URLs may become links: ``http``, ``https`` and ``mailto`` only, everywhere (reports,
pages, Markdown). A ``javascript:``, ``data:`` or ``vbscript:`` URL stored in a record is shown
as text, never as a live link; the schemas refuse such URLs at input too."""

from __future__ import annotations

from urllib.parse import urlsplit

LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def link_url(url: str | None) -> str | None:
    """``url`` if it may be a link (an absolute ``http(s)`` URL with a host, or ``mailto:``),
    else ``None``. Browsers ignore tabs and newlines inside a scheme (``java\\tscript:``) and
    leading spaces and control characters, so any of them makes the URL unlinkable here."""
    if not url or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in LINK_SCHEMES:
        return None
    if parts.scheme != "mailto" and not parts.netloc:
        return None
    return url
