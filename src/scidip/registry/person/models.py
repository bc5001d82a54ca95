"""Persons, with names as the source writes them and aliases in other languages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from scidip.db.base import Base, Record


class Person(Record, Base):
    """A person (Popolo ``Person``). ``name`` keeps the source's convention: MATSUMOTO Yoichiro."""

    __tablename__ = "person"

    name: Mapped[str] = mapped_column(String(200), comment="Name as the source writes it.")
    family_name: Mapped[str | None] = mapped_column(String(100))
    given_name: Mapped[str | None] = mapped_column(String(100))
    other_names: Mapped[list[Any]] = mapped_column(
        default=list, comment="Aliases: [{name, lang}], e.g. the name in Japanese."
    )
    note: Mapped[str | None] = mapped_column(Text)
