"""Agreements and the dated actions each party takes under them."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scidip.dates import PartialDate
from scidip.db.base import Base, Record, enum_column, partial_date_column
from scidip.registry.party.models import Party


class AgreementKind(enum.StrEnum):
    """The instrument's form."""

    agreement = "agreement"
    arrangement = "arrangement"
    memorandum = "memorandum"
    multilateral = "multilateral"


class ActionKind(enum.StrEnum):
    """Treaty actions, in the vocabulary of depositaries."""

    signature = "signature"
    ratification = "ratification"
    entry_into_force = "entry_into_force"
    accession = "accession"
    succession = "succession"
    extension = "extension"
    supersession = "supersession"
    termination = "termination"


class Agreement(Record, Base):
    """An S&T cooperation instrument."""

    __tablename__ = "agreement"

    title: Mapped[str] = mapped_column(String(400), comment="Title as the source gives it.")
    kind: Mapped[AgreementKind] = mapped_column(enum_column(AgreementKind))
    subjects: Mapped[list[Any]] = mapped_column(default=list, comment="Fields of cooperation.")
    note: Mapped[str | None] = mapped_column(Text)

    actions: Mapped[list[AgreementAction]] = relationship(
        back_populates="agreement",
        cascade="all, delete-orphan",
        order_by="AgreementAction.position",
        foreign_keys="AgreementAction.agreement_id",
        lazy="selectin",
    )
    spans: Mapped[list[CoverageSpan]] = relationship(
        back_populates="agreement",
        cascade="all, delete-orphan",
        passive_deletes=True,
        foreign_keys="CoverageSpan.agreement_id",
    )


class AgreementAction(Base):
    """One action under an agreement: by one party, or by all (``party`` null).

    ``taken`` is when the act was done, ``effective`` when it took effect. ``until`` closes a
    fixed term that this action opens (entry into force) or prolongs (extension): the agreement
    lapses on that date (exclusive) unless extended. For a succession, ``via`` is the predecessor
    whose rights the party takes over; for a supersession, ``replaced_by`` is the new agreement.
    """

    __tablename__ = "agreement_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreement.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0, comment="Order within the agreement.")
    party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"), index=True)
    kind: Mapped[ActionKind] = mapped_column(enum_column(ActionKind))
    taken: Mapped[PartialDate | None] = partial_date_column("taken", "When the act was done.")
    effective: Mapped[PartialDate | None] = partial_date_column("effective", "When it took effect.")
    until: Mapped[PartialDate | None] = partial_date_column(
        "until", "End (exclusive) of the fixed term this action opens or prolongs."
    )
    via_id: Mapped[int | None] = mapped_column(
        ForeignKey("party.id"), comment="Succession: the predecessor state."
    )
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreement.id"), comment="Supersession: the agreement that replaces this one."
    )
    note: Mapped[str | None] = mapped_column(Text)
    sources: Mapped[list[Any]] = mapped_column(
        default=list, comment="Citations of this action: [{source, locator}]."
    )

    agreement: Mapped[Agreement] = relationship(
        back_populates="actions", foreign_keys=[agreement_id]
    )
    party: Mapped[Party | None] = relationship(foreign_keys=[party_id], lazy="joined")
    via: Mapped[Party | None] = relationship(foreign_keys=[via_id], lazy="joined")
    replaced_by: Mapped[Agreement | None] = relationship(foreign_keys=[replaced_by_id])


class CoverageSpan(Base):
    """How an agreement covers one party that acts under it, whatever the date: the first half of
    the coverage rule (:func:`scidip.registry.agreement.coverage.spans`), derived from the
    agreement's actions and rewritten with them in the same transaction, so that coverage on a
    date reads one row per agreement and party instead of rebuilding every agreement.

    Derived data: never edited, never audited, not part of a dataset. The party's own facts (its
    name, when it ceased to exist, its sensitivity) are read from the party when a date is asked.
    """

    __tablename__ = "coverage_span"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreement.id", ondelete="CASCADE"), index=True
    )
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    how: Mapped[str] = mapped_column(String(10), comment="direct or succession.")
    via_id: Mapped[int | None] = mapped_column(
        ForeignKey("party.id"), comment="Succession: the predecessor."
    )
    since: Mapped[PartialDate | None] = partial_date_column("since", "When coverage starts.")
    ends: Mapped[PartialDate | None] = partial_date_column(
        "ends", "The earliest end the agreement's actions give (exclusive)."
    )
    end_kind: Mapped[str | None] = mapped_column(
        String(12), comment="termination, supersession or lapse."
    )
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreement.id"), comment="Supersession: the replacing agreement."
    )

    agreement: Mapped[Agreement] = relationship(back_populates="spans", foreign_keys=[agreement_id])
    party: Mapped[Party] = relationship(foreign_keys=[party_id])
    via: Mapped[Party | None] = relationship(foreign_keys=[via_id])
    replaced_by: Mapped[Agreement | None] = relationship(foreign_keys=[replaced_by_id])
