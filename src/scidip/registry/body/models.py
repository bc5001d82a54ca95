"""Organisations (ministries, advisory boards, networks, universities, missions) and memberships."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scidip.dates import PartialDate
from scidip.db.base import Base, Record, enum_column, partial_date_column
from scidip.registry.party.models import Party
from scidip.registry.person.models import Person


class OrganisationKind(enum.StrEnum):
    """What an organisation is."""

    ministry = "ministry"
    advisory_board = "advisory_board"
    network = "network"
    university = "university"
    agency = "agency"
    mission = "mission"
    international_organisation = "international_organisation"
    other = "other"


class MembershipRole(enum.StrEnum):
    """A member's role in a body."""

    chair = "chair"
    vice_chair = "vice-chair"
    member = "member"


class Organisation(Record, Base):
    """An organisation (Popolo ``Organization``)."""

    __tablename__ = "organisation"

    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), comment="The organisation it is part of."
    )
    party_id: Mapped[int | None] = mapped_column(
        ForeignKey("party.id"), comment="The state or organisation it belongs to."
    )
    founded: Mapped[PartialDate | None] = partial_date_column("founded", "When it was set up.")
    dissolved: Mapped[PartialDate | None] = partial_date_column(
        "dissolved", "When it ceased (exclusive)."
    )
    size_reported: Mapped[int | None] = mapped_column(
        Integer, comment="Number of members a source reports, where not all are recorded."
    )
    sizes: Mapped[list[Any]] = mapped_column(
        default=list, comment="Its size at dates: [{members, as_of, note, sources}]."
    )
    other_names: Mapped[list[Any]] = mapped_column(default=list, comment="[{name, lang}]")
    note: Mapped[str | None] = mapped_column(Text)

    parent: Mapped[Organisation | None] = relationship(remote_side="Organisation.id")
    party: Mapped[Party | None] = relationship(lazy="joined")


class Membership(Record, Base):
    """A person in an organisation, with a role, from ``start`` to ``end`` (exclusive)."""

    __tablename__ = "membership"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[MembershipRole] = mapped_column(
        enum_column(MembershipRole), default=MembershipRole.member
    )
    label: Mapped[str | None] = mapped_column(
        String(200), comment="Title within the organisation, e.g. 'Professor Emeritus'."
    )
    start: Mapped[PartialDate | None] = partial_date_column("start", "First day (inclusive).")
    end: Mapped[PartialDate | None] = partial_date_column("end", "End (exclusive).")
    note: Mapped[str | None] = mapped_column(Text, comment="Why the dates are what they are.")

    person: Mapped[Person] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
