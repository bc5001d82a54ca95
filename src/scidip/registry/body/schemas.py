"""Schemas of organisations and memberships."""

from __future__ import annotations

from pydantic import Field

from scidip.registry.body.models import MembershipRole, OrganisationKind
from scidip.registry.schemas import (
    INT_MAX,
    CitationIn,
    Key,
    OtherName,
    PartialDateField,
    RecordIn,
    RecordMeta,
    Schema,
)


class SizeIn(Schema):
    """A body's size on a date, as a source reports it."""

    members: int = Field(ge=0, le=INT_MAX, description="Number of members.")
    as_of: PartialDateField = Field(description="The date the number holds for.")
    note: str | None = Field(default=None, description="Free text.")
    sources: list[CitationIn] = Field(default_factory=list, description="Where it is reported.")


class OrganisationCreate(RecordIn):
    """An organisation: ministry, advisory board, network, university, agency, mission..."""

    name: str = Field(description="Name in English.")
    kind: OrganisationKind = Field(description="What the organisation is.")
    parent: Key | None = Field(default=None, description="Key of the organisation it is part of.")
    party: Key | None = Field(default=None, description="Code of the state it belongs to.")
    founded: PartialDateField | None = Field(default=None, description="When it was set up.")
    dissolved: PartialDateField | None = Field(default=None, description="When it ceased.")
    size_reported: int | None = Field(
        default=None,
        ge=0,
        le=INT_MAX,
        description="Number of members a source reports, without a date (see sizes).",
    )
    sizes: list[SizeIn] = Field(
        default_factory=list,
        description="Its size (number of members) at dates, each with its source.",
    )
    other_names: list[OtherName] = Field(default_factory=list, description="Other names.")
    note: str | None = Field(default=None, description="Free text.")


class OrganisationRead(OrganisationCreate, RecordMeta):
    """A stored organisation."""


class MembershipCreate(RecordIn):
    """A person in an organisation with a role, from start to end (exclusive)."""

    person: Key = Field(description="Key of the person.")
    organisation: Key = Field(description="Key of the organisation.")
    role: MembershipRole = Field(
        default=MembershipRole.member, description="chair, vice-chair or member"
    )
    label: str | None = Field(default=None, description="Title, e.g. 'Professor Emeritus'.")
    start: PartialDateField | None = Field(default=None, description="First day (inclusive).")
    end: PartialDateField | None = Field(default=None, description="End (exclusive).")
    note: str | None = Field(default=None, description="Why the dates are what they are.")


class MembershipRead(MembershipCreate, RecordMeta):
    """A stored membership."""
