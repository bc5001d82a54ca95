"""Engagements: dated events such as visits, board meetings, seminars and forums."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scidip.dates import PartialDate
from scidip.db.base import Base, Record, enum_column, partial_date_column
from scidip.registry.body.models import Organisation
from scidip.registry.committee.models import MeetingMode
from scidip.registry.party.models import Party
from scidip.registry.person.models import Person


class EngagementKind(enum.StrEnum):
    """What kind of event it was."""

    board_meeting = "board_meeting"
    visit = "visit"
    bilateral_meeting = "bilateral_meeting"
    network_meeting = "network_meeting"
    seminar = "seminar"
    online_meeting = "online_meeting"
    forum = "forum"
    other = "other"


engagement_participant = Table(
    "engagement_participant",
    Base.metadata,
    Column("engagement_id", ForeignKey("engagement.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id"), primary_key=True),
)
engagement_organisation = Table(
    "engagement_organisation",
    Base.metadata,
    Column("engagement_id", ForeignKey("engagement.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id"), primary_key=True),
)
engagement_party = Table(
    "engagement_party",
    Base.metadata,
    Column("engagement_id", ForeignKey("engagement.id", ondelete="CASCADE"), primary_key=True),
    Column("party_id", ForeignKey("party.id"), primary_key=True),
)


class Engagement(Record, Base):
    """A dated event with participants, counterparts, places, topics and an outcome."""

    __tablename__ = "engagement"

    kind: Mapped[EngagementKind] = mapped_column(enum_column(EngagementKind))
    title: Mapped[str] = mapped_column(String(400))
    date: Mapped[PartialDate | None] = partial_date_column("date", "When it took place (start).")
    end: Mapped[PartialDate | None] = partial_date_column("end", "Last day, for a multi-day event.")
    number: Mapped[int | None] = mapped_column(
        Integer, comment="Ordinal of a numbered meeting (the 6th meeting of a board...)."
    )
    mode: Mapped[MeetingMode | None] = mapped_column(
        enum_column(MeetingMode), comment="in_person, online or hybrid, where the source says."
    )
    host_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), comment="The organisation that held it (e.g. the board)."
    )
    places: Mapped[list[Any]] = mapped_column(
        default=list, comment="Where: [{city, party}]; empty when online."
    )
    topics: Mapped[list[Any]] = mapped_column(default=list)
    outcome: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(
        Text, comment="What the source adds: attending ministers, why a date is what it is..."
    )

    host: Mapped[Organisation | None] = relationship(lazy="joined")
    participants: Mapped[list[Person]] = relationship(
        secondary=engagement_participant, order_by="Person.key", lazy="selectin"
    )
    counterpart_organisations: Mapped[list[Organisation]] = relationship(
        secondary=engagement_organisation, order_by="Organisation.key", lazy="selectin"
    )
    counterpart_parties: Mapped[list[Party]] = relationship(
        secondary=engagement_party, order_by="Party.key", lazy="selectin"
    )

    @property
    def place_text(self) -> str:
        """Places as ``Berlin (DEU); Geneva (CHE)``."""
        return "; ".join(
            f"{p.get('city') or ''} ({p.get('party')})".strip() if p.get("party") else p["city"]
            for p in self.places
        )
