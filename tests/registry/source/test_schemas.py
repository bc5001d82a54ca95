"""Source URLs: only those that may be links are stored."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from scidip.registry.source.schemas import SourceCreate


def test_a_source_url_must_be_http_or_mailto() -> None:
    ok = SourceCreate(key="s", title="t", url="https://example.org/x")
    assert ok.url == "https://example.org/x"
    with pytest.raises(ValidationError) as exc:
        SourceCreate(key="s", title="t", url="javascript:alert(1)")
    assert exc.value.errors()[0]["msg"] == (
        "Value error, not a URL that may be a link (schemes http, https, mailto, no spaces)"
    )
