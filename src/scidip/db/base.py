"""Declarative base with a constraint naming convention, and the columns every record carries."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Date, DateTime, Dialect, Enum, Integer, MetaData, String
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    MappedColumn,
    composite,
    declared_attr,
    mapped_column,
)
from sqlalchemy.types import TypeDecorator

from scidip.dates import PartialDate

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every table; constraints get predictable names on SQLite and PostgreSQL alike."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Sensitivity(enum.StrEnum):
    """Who may see a record: everyone, staff, or only those cleared for restricted material."""

    public = "public"
    internal = "internal"
    restricted = "restricted"

    @property
    def rank(self) -> int:
        """0 for public, 1 for internal, 2 for restricted."""
        return list(Sensitivity).index(self)


def utcnow() -> datetime:
    """The current time in UTC (the one clock of the registry's bookkeeping)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp in UTC that is read back with its offset on every database: PostgreSQL keeps
    the zone (``timestamptz``), SQLite keeps none, so a value read from SQLite is marked UTC (the
    registry writes only UTC: :func:`utcnow`). A naive value written is taken as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_column(enum_cls: type[enum.Enum], **kwargs: Any) -> Any:
    """A portable enum column stored as its values (a CHECK constraint, not a native type)."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        name=enum_cls.__name__.lower(),
        **kwargs,
    )


class Record:
    """Columns every registry record carries: identity, stable key, sensitivity, version.

    ``key`` is the record's stable, human-readable identifier (used by datasets and URLs);
    ``version`` increases with every change and is checked on update (optimistic concurrency).
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(
        String(160), unique=True, comment="Stable identifier used by datasets, URLs and exports."
    )
    sensitivity: Mapped[Sensitivity] = mapped_column(
        enum_column(Sensitivity),
        default=Sensitivity.public,
        comment="public, internal or restricted: who may see the record.",
    )
    version: Mapped[int] = mapped_column(
        Integer, nullable=False, comment="Increases on every change; an update names it."
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def _partial_date(
    first: date | None,
    precision: str | None,
    not_after: bool | None,
    not_before: date | None,
    not_before_precision: str | None,
) -> Any:
    return PartialDate.from_parts(first, precision, not_after, not_before, not_before_precision)


PARTIAL_DATE_PARTS = ("on", "precision", "not_after", "not_before", "not_before_precision")
"""The suffixes of a partial date's stored columns, in the order :func:`stored_date` takes."""


def partial_date_column(name: str, comment: str) -> Any:
    """A :class:`PartialDate` stored as five columns: ``<name>_on`` (DATE, first day of the
    period), ``<name>_precision`` (year / month / day), ``<name>_not_after`` (known only as
    "no later than"), and for a date known to lie between two bounds the lower bound's first day
    and precision, ``<name>_not_before`` and ``<name>_not_before_precision``."""
    cols: list[MappedColumn[Any]] = [
        mapped_column(f"{name}_on", Date, nullable=True, comment=comment),
        mapped_column(f"{name}_precision", String(5), nullable=True),
        mapped_column(f"{name}_not_after", Boolean, nullable=True),
        mapped_column(
            f"{name}_not_before", Date, nullable=True, comment="Lower bound: its first day."
        ),
        mapped_column(f"{name}_not_before_precision", String(5), nullable=True),
    ]
    return composite(_partial_date, *cols)


def date_columns(table: Any, name: str) -> list[Any]:
    """The stored columns of the partial date ``name`` of ``table``, for plain reads that rebuild
    it with :func:`stored_date`."""
    return [table.c[f"{name}_{part}"] for part in PARTIAL_DATE_PARTS]


def stored_date(
    first: date | None,
    precision: str | None,
    not_after: bool | None,
    not_before: date | None = None,
    not_before_precision: str | None = None,
) -> PartialDate | None:
    """A partial date from its stored columns (``None`` when none is recorded)."""
    found: PartialDate | None = PartialDate.from_parts(
        first, precision, not_after, not_before, not_before_precision
    )
    return found
