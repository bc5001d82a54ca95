"""Schemas of sources."""

from __future__ import annotations

from pydantic import Field, field_validator

from scidip.links import LINK_SCHEMES, link_url
from scidip.registry.schemas import PartialDateField, RecordIn, RecordMeta


class SourceCreate(RecordIn):
    """A publication or page that facts are taken from."""

    title: str = Field(description="Title of the publication or page.")
    publisher: str | None = Field(default=None, description="Who published it.")
    url: str | None = Field(
        default=None, description="Where it can be read: an http(s) or mailto URL."
    )
    published: PartialDateField | None = Field(default=None, description="Publication date.")
    note: str | None = Field(default=None, description="What it covers; caveats.")

    @field_validator("url")
    @classmethod
    def _linkable(cls, url: str | None) -> str | None:
        if url is not None and link_url(url) is None:
            schemes = ", ".join(sorted(LINK_SCHEMES))
            raise ValueError(f"not a URL that may be a link (schemes {schemes}, no spaces)")
        return url


class SourceRead(SourceCreate, RecordMeta):
    """A stored source."""
