"""The login throttle: failed logins counted per account, per source address and per known
device, with delays that grow with each failure (never a fixed lockout).

Policy (ours, after OWASP's "Blocking Brute Force Attacks" and its device-cookie scheme, and
ASVS 4.0.3 V2.2.1):

* Every key has some **free failures** (:data:`FREE`): an account 5, a source address 20 (an
  office behind one address), a known device 5. After them, each failure makes the key wait
  :data:`FIRST_DELAY` (30 s), doubling with every further failure up to :data:`MAX_DELAY`
  (15 min). While a key waits, attempts under it are refused *without checking the password*.
* Failures are forgotten after :data:`FORGET_AFTER` (1 h) without one; a right password clears
  the account's and the device's count (not the address's: a guesser with one account of their
  own could otherwise reset it).
* A browser where the user logged in before carries a **device cookie** for that user
  (:mod:`scidip.web.cookie`); its attempts are counted under the device only, so that a
  stranger's failures against the account never lock out its owner on their own browser.

Atomic under concurrency: :func:`check_and_record` locks the keys' rows (``SELECT ... FOR
UPDATE`` on PostgreSQL; on SQLite the login's transaction already holds the write lock, taken
by ``BEGIN IMMEDIATE``) before reading them, checks the password while holding them, and writes
the outcome in the same transaction: concurrent attempts under one key are counted one after
the other, never both against the same count.

Bounded: every login first deletes (:func:`prune`) the attempts and the counters older than the
longest window, :data:`FORGET_AFTER` (a counter that old counts as zero anyway), so the tables
hold at most an hour of attempts and the keys that failed within it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from scidip.auth.models import LoginAttempt, LoginThrottle
from scidip.db.base import utcnow

FREE = {"account": 5, "address": 20, "device": 5}
"""Failures a key may make before it has to wait."""

FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class Verdict:
    """What the throttle let through: whether the password was checked and right, and how long
    to wait (seconds, rounded up) when it was refused unchecked."""

    checked: bool
    ok: bool
    retry_after: int = 0


def keys_for(username: str, address: str, device: str | None) -> list[str]:
    """The throttle keys of an attempt: the device's alone for a known device, else the
    account's and the address's."""
    if device:
        return [f"device:{device}"]
    return [f"account:{username.casefold()[:80]}", f"address:{address[:64]}"]


def delay(kind: str, failures: int) -> timedelta:
    """How long a key of ``kind`` waits after its ``failures``-th failure in a row."""
    over = failures - FREE[kind]
    if over < 0:
        return timedelta(0)
    grown: timedelta = FIRST_DELAY * (2 ** min(over, 16))
    return min(grown, MAX_DELAY)


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite gives back naive datetimes: they were stored in UTC.
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def prune(session: Session, now: datetime | None = None) -> tuple[int, int]:
    """Delete the login attempts and the throttle's counters older than :data:`FORGET_AFTER`
    (a counter's age is that of its last failure; one with none is a reset key); how many of
    each. On PostgreSQL, counters another login holds locked are left for a later prune."""
    now = now or utcnow()
    cutoff = now - FORGET_AFTER
    attempts = session.execute(
        delete(LoginAttempt).where(LoginAttempt.at < cutoff),
        execution_options={"synchronize_session": False},
    )
    stale = select(LoginThrottle.key).where(
        or_(LoginThrottle.last_failure_at.is_(None), LoginThrottle.last_failure_at < cutoff)
    )
    if session.get_bind().dialect.name == "postgresql":
        stale = stale.with_for_update(skip_locked=True)
    counters = session.execute(
        delete(LoginThrottle).where(LoginThrottle.key.in_(stale)),
        execution_options={"synchronize_session": False},
    )
    return int(attempts.rowcount), int(counters.rowcount)  # type: ignore[attr-defined]


def _locked_rows(session: Session, keys: list[str]) -> list[LoginThrottle]:
    """The rows of ``keys``, created if missing, locked until the transaction ends (in key
    order, so two attempts never wait on each other's rows). Created again if a concurrent
    :func:`prune` deleted one between its insertion and its lock."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    query = select(LoginThrottle).where(LoginThrottle.key.in_(keys)).order_by(LoginThrottle.key)
    if dialect == "postgresql":
        query = query.with_for_update()
    while True:
        for key in sorted(keys):
            statement = insert(LoginThrottle).values(key=key, failures=0).on_conflict_do_nothing()
            session.execute(statement)
        rows = list(session.scalars(query.execution_options(populate_existing=True)))
        if len(rows) == len(set(keys)):
            return rows


def check_and_record(
    session: Session, keys: list[str], check: Callable[[], bool], now: datetime | None = None
) -> Verdict:
    """Run ``check`` (the password check) unless a key must wait; count its outcome under every
    key. The caller commits (the rows stay locked until then)."""
    now = now or utcnow()
    rows = _locked_rows(session, keys)
    for row in rows:
        last = _aware(row.last_failure_at)
        if last is not None and now - last > FORGET_AFTER:
            row.failures, row.blocked_until = 0, None
    waits = [b - now for row in rows if (b := _aware(row.blocked_until)) is not None and b > now]
    if waits:
        seconds = max(waits).total_seconds()
        return Verdict(checked=False, ok=False, retry_after=max(1, int(-(-seconds // 1))))
    ok = check()
    for row in rows:
        kind = row.key.partition(":")[0]
        if ok and kind != "address":
            row.failures, row.blocked_until, row.last_failure_at = 0, None, None
        elif not ok:
            row.failures += 1
            row.last_failure_at = now
            wait = delay(kind, row.failures)
            row.blocked_until = now + wait if wait else None
    session.flush()
    return Verdict(checked=True, ok=ok)
