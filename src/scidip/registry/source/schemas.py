"""Schemas of sources."""

from __future__ import annotations

from pydantic import Field

from scidip.registry.schemas import PartialDateField, RecordIn, RecordMeta


class SourceCreate(RecordIn):
    """A publication or page that facts are taken from."""

    title: str = Field(description="Title of the publication or page.")
    publisher: str | None = Field(default=None, description="Who published it.")
    url: str | None = Field(default=None, description="Where it can be read.")
    published: PartialDateField | None = Field(default=None, description="Publication date.")
    note: str | None = Field(default=None, description="What it covers; caveats.")


class SourceRead(SourceCreate, RecordMeta):
    """A stored source."""
