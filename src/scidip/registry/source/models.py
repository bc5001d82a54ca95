"""Sources (publications, pages) and citations of them from any record."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from scidip.dates import PartialDate
from scidip.db.base import Base, Record, partial_date_column


class Source(Record, Base):
    """A publication or page that facts are taken from."""

    __tablename__ = "source"

    title: Mapped[str] = mapped_column(String(400), comment="Title of the publication or page.")
    publisher: Mapped[str | None] = mapped_column(String(200), comment="Who published it.")
    url: Mapped[str | None] = mapped_column(String(600), comment="Where it can be read.")
    published: Mapped[PartialDate | None] = partial_date_column("published", "Publication date.")
    note: Mapped[str | None] = mapped_column(Text, comment="What the source covers, caveats.")


class Citation(Base):
    """A record citing a source, with a locator (page, section, footnote)."""

    __tablename__ = "citation"
    __table_args__ = (UniqueConstraint("record_table", "record_id", "source_id", "locator"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"))
    record_table: Mapped[str] = mapped_column(String(40), comment="Table of the citing record.")
    record_id: Mapped[int] = mapped_column(Integer, comment="Id of the citing record.")
    locator: Mapped[str] = mapped_column(
        String(200), default="", comment="Where in the source: section, page, footnote."
    )
