"""Reading the audit log: filtered, ordered and paginated in SQL, with the reader's clearance as
a predicate (an entry about a record above it, before or after the change, is left out like the
record itself)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.registry.access import levels
from scidip.registry.audit.models import AuditEntry


@dataclass(frozen=True)
class AuditPage:
    """Entries of the audit log, newest first, and how many pass the filters in all."""

    entries: list[AuditEntry]
    total: int


def _visible(clearance: Sensitivity) -> list[ColumnElement[bool]]:
    allowed = [s.value for s in levels(clearance)]
    if len(allowed) == len(Sensitivity):
        return []
    found = []
    for state in (AuditEntry.before, AuditEntry.after):
        sensitivity = state["sensitivity"].as_string()
        found.append(or_(sensitivity.is_(None), sensitivity.in_(allowed)))
    return found


def audit_entries(
    session: Session,
    clearance: Sensitivity,
    *,
    table: str | None = None,
    key: str | None = None,
    actor: str | None = None,
    record_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> AuditPage:
    """The entries a reader with ``clearance`` may see, newest first: of one table, one record
    key, one actor, one record (by id: its whole history, across renames); ``limit`` of them
    from ``offset``."""
    where = _visible(clearance)
    if table:
        where.append(AuditEntry.record_table == table)
    if key:
        where.append(AuditEntry.record_key == key)
    if actor:
        where.append(AuditEntry.actor == actor)
    if record_id is not None:
        where.append(AuditEntry.record_id == record_id)
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0
    query = select(AuditEntry).where(*where).order_by(AuditEntry.id.desc()).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return AuditPage(list(session.scalars(query)), total)
