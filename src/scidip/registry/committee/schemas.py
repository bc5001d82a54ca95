"""Schemas of joint committees, meetings and action items."""

from __future__ import annotations

from pydantic import Field, model_validator

from scidip.dates import Tri
from scidip.registry.committee.models import ActionItemStatus, MeetingMode
from scidip.registry.schemas import INT_MAX, Key, PartialDateField, RecordIn, RecordMeta, Schema


class JointCommitteeCreate(RecordIn):
    """A joint committee under an agreement."""

    name: str = Field(description="Name, e.g. 'Japan-Canada Joint Committee on S&T Cooperation'.")
    agreement: Key = Field(description="Key of the agreement it is set up under.")
    counterpart: Key | None = Field(default=None, description="Code of the partner party.")
    cadence_months: int | None = Field(
        default=None, gt=0, le=1200, description="Months between meetings; null: no fixed cadence."
    )
    note: str | None = Field(default=None, description="Free text.")


class JointCommitteeRead(JointCommitteeCreate, RecordMeta):
    """A stored joint committee."""


class Delegation(Schema):
    """One side's delegation at a meeting."""

    party: Key = Field(description="Code of the party.")
    head: str | None = Field(default=None, description="Head of delegation.")
    members: list[str] = Field(default_factory=list, description="Other members.")


class ActionItemIn(Schema):
    """Something the meeting agreed to do."""

    description: str = Field(description="What is to be done.")
    owner: str | None = Field(default=None, description="Who is to do it.")
    due: PartialDateField | None = Field(default=None, description="When it is due.")
    status: ActionItemStatus = Field(default=ActionItemStatus.open, description="Where it stands.")


class MeetingCreate(RecordIn):
    """One meeting of a joint committee."""

    committee: Key = Field(description="Key of the committee.")
    number: int | None = Field(
        default=None, gt=0, le=INT_MAX, description="Ordinal of the meeting."
    )
    date: PartialDateField | None = Field(
        default=None, description="When it was held (its first day)."
    )
    end: PartialDateField | None = Field(
        default=None, description="Its last day (inclusive), for a meeting over several days."
    )
    place: str | None = Field(default=None, description="City; null when online.")
    mode: MeetingMode | None = Field(default=None, description="in_person, online or hybrid")
    delegations: list[Delegation] = Field(default_factory=list, description="Delegations.")
    sectors: list[str] = Field(default_factory=list, description="Sectors discussed.")
    outcomes: str | None = Field(default=None, description="What was agreed.")
    action_items: list[ActionItemIn] = Field(default_factory=list, description="Action items.")
    note: str | None = Field(default=None, description="What the source adds.")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> MeetingCreate:
        if self.end is not None and self.date is None:
            raise ValueError("end: a meeting's last day needs its first day (date)")
        if self.end is not None and self.date is not None and self.end.before(self.date) is Tri.YES:
            raise ValueError(f"end: the last day {self.end} is before the first day {self.date}")
        return self


class MeetingRead(MeetingCreate, RecordMeta):
    """A stored meeting."""
