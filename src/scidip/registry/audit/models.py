"""The audit log: every change to the registry, who made it, when, and before / after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from scidip.db.base import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    """One change to one record. ``before`` is null for a creation, ``after`` for a deletion."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(120), comment="User or process that made it.")
    action: Mapped[str] = mapped_column(String(10), comment="create, update or delete.")
    record_table: Mapped[str] = mapped_column(String(40), index=True)
    record_id: Mapped[int] = mapped_column(Integer)
    record_key: Mapped[str] = mapped_column(String(160), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(comment="The record before the change.")
    after: Mapped[dict[str, Any] | None] = mapped_column(comment="The record after the change.")
