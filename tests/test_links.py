"""Only http(s) and mailto URLs become links."""

from __future__ import annotations

import pytest

from scidip.links import link_url


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://www.mofa.go.jp/a.html", True),
        ("http://example.org", True),
        ("HTTPS://EXAMPLE.ORG/", True),
        ("mailto:st@mofa.go.jp", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("\x01javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox(1)", False),
        ("//evil.example/x", False),
        ("/relative/path", False),
        ("https:evil", False),
        ("https://[::1", False),
        ("", False),
        (None, False),
    ],
)
def test_link_url(url: str | None, linked: bool) -> None:
    assert link_url(url) == (url if linked else None)
