"""Schemas of engagements."""

from __future__ import annotations

from pydantic import Field

from scidip.registry.committee.models import MeetingMode
from scidip.registry.engagement.models import EngagementKind
from scidip.registry.schemas import (
    INT_MAX,
    Key,
    PartialDateField,
    RecordIn,
    RecordMeta,
    Schema,
    SortedKeys,
)


class Place(Schema):
    """Where an event took place."""

    city: str | None = Field(default=None, description="City.")
    party: Key | None = Field(default=None, description="Code of the state.")


class EngagementCreate(RecordIn):
    """A dated event: a visit, a board meeting, a seminar..."""

    kind: EngagementKind = Field(description="What kind of event.")
    title: str = Field(description="Short description.")
    date: PartialDateField | None = Field(default=None, description="When (start).")
    end: PartialDateField | None = Field(default=None, description="Last day, if several.")
    number: int | None = Field(
        default=None,
        ge=1,
        le=INT_MAX,
        description="Ordinal of a numbered meeting (the 6th meeting...).",
    )
    mode: MeetingMode | None = Field(default=None, description="in_person, online or hybrid.")
    host: Key | None = Field(default=None, description="Key of the organisation that held it.")
    participants: SortedKeys = Field(default_factory=list, description="Keys of persons.")
    counterpart_organisations: SortedKeys = Field(
        default_factory=list, description="Keys of counterpart organisations."
    )
    counterpart_parties: SortedKeys = Field(
        default_factory=list, description="Codes of counterpart states or organisations."
    )
    places: list[Place] = Field(default_factory=list, description="Where; empty when online.")
    topics: list[str] = Field(default_factory=list, description="Topics discussed.")
    outcome: str | None = Field(default=None, description="What came of it.")
    note: str | None = Field(
        default=None,
        description="What the source adds: the ministers who attended, why a date is as it is.",
    )


class EngagementRead(EngagementCreate, RecordMeta):
    """A stored engagement."""
