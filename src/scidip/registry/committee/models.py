"""Joint committees under agreements, their meetings and the action items they agree."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scidip.dates import PartialDate
from scidip.db.base import Base, Record, enum_column, partial_date_column
from scidip.registry.agreement.models import Agreement
from scidip.registry.party.models import Party


class MeetingMode(enum.StrEnum):
    """How a meeting was held."""

    in_person = "in_person"
    online = "online"
    hybrid = "hybrid"


class ActionItemStatus(enum.StrEnum):
    """Where an action item stands."""

    open = "open"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


class JointCommittee(Record, Base):
    """A joint committee set up under an agreement, meeting at a cadence."""

    __tablename__ = "joint_committee"

    name: Mapped[str] = mapped_column(String(300))
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    counterpart_id: Mapped[int | None] = mapped_column(
        ForeignKey("party.id"), comment="The partner party on the committee."
    )
    cadence_months: Mapped[int | None] = mapped_column(
        Integer, comment="Months between meetings (null: no fixed cadence)."
    )
    note: Mapped[str | None] = mapped_column(Text)

    agreement: Mapped[Agreement] = relationship(lazy="joined")
    counterpart: Mapped[Party | None] = relationship(lazy="joined")
    meetings: Mapped[list[CommitteeMeeting]] = relationship(
        back_populates="committee", order_by="CommitteeMeeting.date_on", lazy="selectin"
    )


class CommitteeMeeting(Record, Base):
    """One meeting of a joint committee."""

    __tablename__ = "committee_meeting"

    committee_id: Mapped[int] = mapped_column(ForeignKey("joint_committee.id"), index=True)
    number: Mapped[int | None] = mapped_column(Integer, comment="Ordinal (the 13th meeting...).")
    date: Mapped[PartialDate | None] = partial_date_column("date", "When it was held.")
    end: Mapped[PartialDate | None] = partial_date_column(
        "end", "Last day (inclusive), for a meeting over several days."
    )
    place: Mapped[str | None] = mapped_column(String(200), comment="City, or null if online.")
    mode: Mapped[MeetingMode | None] = mapped_column(enum_column(MeetingMode))
    delegations: Mapped[list[Any]] = mapped_column(
        default=list, comment="Delegations: [{party, head, members}]."
    )
    sectors: Mapped[list[Any]] = mapped_column(default=list, comment="Sectors discussed.")
    outcomes: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text, comment="What the source adds.")

    committee: Mapped[JointCommittee] = relationship(back_populates="meetings", lazy="joined")
    action_items: Mapped[list[ActionItem]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="ActionItem.position",
        lazy="selectin",
    )


class ActionItem(Base):
    """Something a meeting agreed to do, with its owner, due date and status."""

    __tablename__ = "action_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("committee_meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(200))
    due: Mapped[PartialDate | None] = partial_date_column("due", "When it is due.")
    status: Mapped[ActionItemStatus] = mapped_column(
        enum_column(ActionItemStatus), default=ActionItemStatus.open
    )

    meeting: Mapped[CommitteeMeeting] = relationship(back_populates="action_items")
