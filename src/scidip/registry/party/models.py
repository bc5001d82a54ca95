"""States and international organisations, and successions between states."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scidip.dates import PartialDate
from scidip.db.base import Base, Record, enum_column, partial_date_column


class PartyKind(enum.StrEnum):
    """A party to an agreement is a state or an international organisation."""

    state = "state"
    organisation = "organisation"


class SuccessionKind(enum.StrEnum):
    """How one state followed another (vocabulary of the law of state succession)."""

    continuation = "continuation"
    dissolution = "dissolution"
    separation = "separation"
    unification = "unification"


class Party(Record, Base):
    """A state (ISO 3166-1 alpha-3, or ISO 3166-3 for former states) or an organisation.

    The record's ``key`` is its code: ``JPN``, ``SUHH`` (USSR), ``EU``, ``ISTC``.
    """

    __tablename__ = "party"

    name: Mapped[str] = mapped_column(String(200), comment="Short English name.")
    kind: Mapped[PartyKind] = mapped_column(enum_column(PartyKind), comment="state or organisation")
    existed_from: Mapped[PartialDate | None] = partial_date_column(
        "existed_from", "When the party came into being (null: before the registry's horizon)."
    )
    existed_until: Mapped[PartialDate | None] = partial_date_column(
        "existed_until", "When it ceased to exist (exclusive; null: it still exists)."
    )
    other_names: Mapped[list[Any]] = mapped_column(
        default=list, comment="Other names: [{name, lang}]."
    )
    note: Mapped[str | None] = mapped_column(Text)

    @property
    def code(self) -> str:
        """The party's code (its key)."""
        return self.key


class Succession(Record, Base):
    """A successor state following a predecessor on a date."""

    __tablename__ = "succession"

    predecessor_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    date: Mapped[PartialDate | None] = partial_date_column("date", "Date of the succession.")
    kind: Mapped[SuccessionKind] = mapped_column(enum_column(SuccessionKind))
    note: Mapped[str | None] = mapped_column(Text)

    predecessor: Mapped[Party] = relationship(foreign_keys=[predecessor_id], lazy="joined")
    successor: Mapped[Party] = relationship(foreign_keys=[successor_id], lazy="joined")
