"""Published figures, e.g. "32 agreements, in force with 46 countries and the EU"."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scidip.dates import PartialDate
from scidip.db.base import Base, Record, enum_column, partial_date_column
from scidip.registry.body.models import Organisation


class FigureMetric(enum.StrEnum):
    """What a published figure counts: a total of the coverage query (agreements, states,
    organisations), the joint committee meetings held in the figure's period, or the members of a
    body on its date."""

    agreements = "agreements"
    states = "states"
    organisations = "organisations"
    committee_meetings = "committee_meetings"
    members = "members"


class PublishedFigure(Record, Base):
    """A number a publication states about the registry's subject, with the date it holds for.

    The publication is cited as the record's source; the reconciliation report sets each figure
    beside the registry's computation on ``as_of``.
    """

    __tablename__ = "published_figure"

    statement: Mapped[str] = mapped_column(Text, comment="The sentence as the source gives it.")
    home_party: Mapped[str] = mapped_column(String(8), comment="Whose agreements are counted.")
    metric: Mapped[FigureMetric] = mapped_column(
        enum_column(FigureMetric),
        comment="agreements, states, organisations, committee_meetings or members",
    )
    value: Mapped[int] = mapped_column(Integer, comment="The number stated.")
    as_of: Mapped[PartialDate | None] = partial_date_column(
        "as_of", "The date the figure holds for, at the precision the source gives."
    )
    kinds: Mapped[list[Any]] = mapped_column(
        default=list, comment="Agreement kinds counted (empty: all kinds)."
    )
    parties: Mapped[list[Any]] = mapped_column(
        default=list, comment="Parties the statement names, e.g. ['EU'] for 'and the EU'."
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), comment="members: the body whose members are counted."
    )
    note: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
