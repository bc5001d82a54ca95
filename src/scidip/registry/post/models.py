"""Posts (offices such as the S&T Advisor) and appointments of persons to them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scidip.dates import PartialDate
from scidip.db.base import Base, Record, partial_date_column
from scidip.registry.body.models import Organisation
from scidip.registry.person.models import Person


class Post(Record, Base):
    """An office (Popolo ``Post``), e.g. "S&T Advisor to the Minister for Foreign Affairs"."""

    __tablename__ = "post"

    label: Mapped[str] = mapped_column(String(300))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    created: Mapped[PartialDate | None] = partial_date_column("created", "When it was created.")
    description: Mapped[str | None] = mapped_column(Text, comment="What the holder does.")
    other_names: Mapped[list[Any]] = mapped_column(
        default=list, comment="The post's name in other languages: [{name, lang}]."
    )

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")


class Appointment(Record, Base):
    """A person holding a post from ``start`` to ``end`` (exclusive)."""

    __tablename__ = "appointment"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id"), index=True)
    start: Mapped[PartialDate | None] = partial_date_column("start", "First day (inclusive).")
    end: Mapped[PartialDate | None] = partial_date_column("end", "End (exclusive).")
    note: Mapped[str | None] = mapped_column(Text)

    person: Mapped[Person] = relationship(lazy="joined")
    post: Mapped[Post] = relationship(lazy="joined")
