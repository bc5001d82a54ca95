"""Schemas of documents and their follow-up."""

from __future__ import annotations

from pydantic import Field

from scidip.registry.document.models import DocumentKind, FollowUpStatus
from scidip.registry.schemas import (
    Key,
    PartialDateField,
    RecordIn,
    RecordMeta,
    Schema,
    SortedKeys,
)


class FollowUpIn(Schema):
    """One step of a document's follow-up."""

    date: PartialDateField | None = Field(default=None, description="When.")
    status: FollowUpStatus = Field(description="Where the document stands after this step.")
    note: str | None = Field(default=None, description="What happened.")


class DocumentCreate(RecordIn):
    """A recommendation, report or statement, addressed to a person in a post."""

    kind: DocumentKind = Field(description="recommendation, report or statement")
    title: str = Field(description="Title or subject.")
    date: PartialDateField | None = Field(default=None, description="When it was issued.")
    issuer: Key | None = Field(default=None, description="Key of the issuing body.")
    authors: SortedKeys = Field(default_factory=list, description="Keys of the authors.")
    addressee_person: Key | None = Field(default=None, description="Key of the addressee.")
    addressee_post: Key | None = Field(
        default=None, description="Key of the post the addressee held on the date."
    )
    parties: SortedKeys = Field(default_factory=list, description="Codes of parties concerned.")
    topics: list[str] = Field(default_factory=list, description="Topics.")
    summary: str | None = Field(default=None, description="What it says.")
    follow_ups: list[FollowUpIn] = Field(default_factory=list, description="Follow-up history.")


class DocumentRead(DocumentCreate, RecordMeta):
    """A stored document."""
