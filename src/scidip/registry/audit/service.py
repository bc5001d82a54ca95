"""Reading the audit log: filtered, ordered and paginated in SQL, with the reader's clearance
applied as it is to the records themselves: an entry whose record is now above the reader's
clearance, or was above it before or after the change, is left out; references to records
above it are taken out of the snapshots (as :mod:`scidip.registry.read` does for records)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, not_, or_, select, tuple_
from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.registry.access import levels
from scidip.registry.audit.models import AuditEntry
from scidip.registry.concepts import CONCEPTS
from scidip.registry.visibility import hidden_records, redact


@dataclass(frozen=True)
class AuditView:
    """One change as a reader may see it."""

    id: int
    at: datetime
    actor: str
    action: str
    record_table: str
    record_key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class AuditPage:
    """Entries of the audit log, newest first, and how many pass the filters in all."""

    entries: list[AuditView]
    total: int


def _visible(clearance: Sensitivity, hidden: list[tuple[str, str]]) -> list[ColumnElement[bool]]:
    allowed = [s.value for s in levels(clearance)]
    if len(allowed) == len(Sensitivity):
        return []
    found = []
    for state in (AuditEntry.before, AuditEntry.after):
        sensitivity = state["sensitivity"].as_string()
        found.append(or_(sensitivity.is_(None), sensitivity.in_(allowed)))
    if hidden:
        found.append(not_(tuple_(AuditEntry.record_table, AuditEntry.record_key).in_(hidden)))
    return found


def _view(entry: AuditEntry, hidden: frozenset[str]) -> AuditView | None:
    # Changes to users (web_user, written by scidip.auth) name no record: shown as they are.
    concept = next((c for c in CONCEPTS if c.table == entry.record_table), None)
    states = []
    for state in (entry.before, entry.after):
        shown = state if state is None or concept is None else redact(state, concept, hidden)
        if state is not None and shown is None:
            return None  # it names a hidden record it cannot be shown without
        states.append(shown)
    return AuditView(
        entry.id,
        entry.at,
        entry.actor,
        entry.action,
        entry.record_table,
        entry.record_key,
        states[0],
        states[1],
    )


def audit_entries(
    session: Session,
    clearance: Sensitivity,
    *,
    table: str | None = None,
    key: str | None = None,
    actor: str | None = None,
    record_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> AuditPage:
    """The entries a reader with ``clearance`` may see, newest first: of one table, one record
    key, one actor, one record (by id: its whole history, across renames), made from the day
    ``since`` to the day ``until`` (both included, in UTC); ``limit`` of them from ``offset``."""
    hidden = hidden_records(session, clearance)
    where = _visible(clearance, hidden)
    if table:
        where.append(AuditEntry.record_table == table)
    if key:
        where.append(AuditEntry.record_key == key)
    if actor:
        where.append(AuditEntry.actor == actor)
    if record_id is not None:
        where.append(AuditEntry.record_id == record_id)
    if since is not None:
        where.append(AuditEntry.at >= datetime.combine(since, time(), UTC))
    if until is not None and until < date.max:  # up to 9999-12-31: everything
        where.append(AuditEntry.at < datetime.combine(until + timedelta(days=1), time(), UTC))
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0
    query = select(AuditEntry).where(*where).order_by(AuditEntry.id.desc()).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    keys = frozenset(key for _, key in hidden)
    views = (_view(e, keys) for e in session.scalars(query))
    return AuditPage([v for v in views if v is not None], total)
