"""Documents (recommendations, reports, statements) and what became of them."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scidip.dates import PartialDate
from scidip.db.base import Base, Record, enum_column, partial_date_column
from scidip.registry.body.models import Organisation
from scidip.registry.party.models import Party
from scidip.registry.person.models import Person
from scidip.registry.post.models import Post


class DocumentKind(enum.StrEnum):
    """What kind of document."""

    recommendation = "recommendation"
    report = "report"
    statement = "statement"


class FollowUpStatus(enum.StrEnum):
    """Where a document stands with its addressee."""

    submitted = "submitted"
    acknowledged = "acknowledged"
    under_consideration = "under_consideration"
    in_progress = "in_progress"
    implemented = "implemented"
    partially_implemented = "partially_implemented"
    declined = "declined"
    closed = "closed"


document_author = Table(
    "document_author",
    Base.metadata,
    Column("document_id", ForeignKey("document.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id"), primary_key=True),
)
document_party = Table(
    "document_party",
    Base.metadata,
    Column("document_id", ForeignKey("document.id", ondelete="CASCADE"), primary_key=True),
    Column("party_id", ForeignKey("party.id"), primary_key=True),
)


class Document(Record, Base):
    """A document addressed to a person in a post on its date."""

    __tablename__ = "document"

    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind))
    title: Mapped[str] = mapped_column(String(400))
    date: Mapped[PartialDate | None] = partial_date_column("date", "When it was issued.")
    issuer_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), comment="The body that issued it."
    )
    addressee_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    addressee_post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id"))
    topics: Mapped[list[Any]] = mapped_column(default=list)
    summary: Mapped[str | None] = mapped_column(Text)

    issuer: Mapped[Organisation | None] = relationship(lazy="joined")
    addressee_person: Mapped[Person | None] = relationship(lazy="joined")
    addressee_post: Mapped[Post | None] = relationship(lazy="joined")
    authors: Mapped[list[Person]] = relationship(
        secondary=document_author, order_by="Person.key", lazy="selectin"
    )
    parties: Mapped[list[Party]] = relationship(
        secondary=document_party, order_by="Party.key", lazy="selectin"
    )
    follow_ups: Mapped[list[DocumentFollowUp]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        order_by="DocumentFollowUp.position",
        lazy="selectin",
    )


class DocumentFollowUp(Base):
    """One step in a document's follow-up history."""

    __tablename__ = "document_follow_up"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    date: Mapped[PartialDate | None] = partial_date_column("date", "When the step happened.")
    status: Mapped[FollowUpStatus] = mapped_column(enum_column(FollowUpStatus))
    note: Mapped[str | None] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="follow_ups")
