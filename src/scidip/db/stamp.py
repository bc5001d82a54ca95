"""The change stamp: one number that grows with every committed write to the database.

Readers that keep answers between requests (the web workbench's read cache) key them by the
stamp they read *before* computing, so that an answer is never newer-stamped than its data: any
commit that changes records (through any process: the server, another worker, the command line)
also raises the stamp, in the same transaction, and every kept answer stops being used.

The rule is enforced here, for every :class:`StampingSession` (what ``make_sessionmaker`` makes;
no listener is attached to SQLAlchemy's own ``Session`` class): a transaction whose flushes
changed anything raises the stamp once, just before it commits (last, so the stamp's row lock is
held only for the commit). Tables whose rows change no answer (login attempts) opt out with
``stamps_changes = False`` on their class.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import BigInteger, Integer, event, update
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column
from sqlalchemy.pool import NullPool

from scidip.db.base import Base

_WROTE = "scidip.wrote"


class ChangeStamp(Base):
    """The one row holding the change stamp."""

    __tablename__ = "change_stamp"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Always 1.")
    value: Mapped[int] = mapped_column(
        BigInteger, comment="Raised by every committed transaction that changes records."
    )


def read_stamp(session: Session) -> int:
    """The current change stamp (0 before the first write).

    Plain SQL on the session's connection: it is read on every request, and the ORM's statement
    machinery would cost more than the query."""
    value = session.connection().exec_driver_sql(_READ).scalar()
    return int(value or 0)


_READ = "SELECT value FROM change_stamp WHERE id = 1"


class StampReader:
    """Reads the change stamp in microseconds: on a connection of its own per thread, outside
    the engine's pool (which it never takes a connection from), in autocommit, so that every
    read sees the latest commit. For the requests a server answers from its read cache.
    """

    def __init__(self, url: str) -> None:
        from scidip.db.session import make_engine  # session imports this module

        self._engine = make_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self._local = threading.local()

    def __call__(self) -> int:
        try:
            return self._read()
        except self._engine.dialect.loaded_dbapi.Error:  # broken (a restart): one new connection
            self._local.__dict__.pop("connection", None)
            return self._read()

    def _read(self) -> int:
        connection = getattr(self._local, "connection", None)
        if connection is None:  # the driver's own connection: no statement machinery per read
            connection = self._local.connection = self._engine.raw_connection()
        cursor = connection.cursor()
        try:
            cursor.execute(_READ)
            row = cursor.fetchone()
        finally:
            cursor.close()
        return int(row[0]) if row else 0

    def close(self) -> None:
        """Forget the connections (each closes when its thread's reference goes)."""
        self._local = threading.local()
        self._engine.dispose()


class StampingSession(Session):
    """A session whose committed writes raise the change stamp (the listeners below)."""


def _stamps(obj: Any) -> bool:
    return bool(getattr(type(obj), "stamps_changes", True))


@event.listens_for(StampingSession, "after_flush")
def _note_write(session: Session, _context: Any) -> None:
    # After a flush the session still lists what it flushed as new, dirty and deleted.
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(_stamps(obj) for obj in changed):
        session.info[_WROTE] = True


@event.listens_for(StampingSession, "before_commit")
def _raise_stamp(session: Session) -> None:
    session.flush()  # what the commit would flush, so that its writes are noted too
    # Raised once for the writes noted so far, in the transaction that commits them (a savepoint
    # released into its parent, or the whole transaction).
    if session.info.pop(_WROTE, False):
        session.execute(
            update(ChangeStamp).where(ChangeStamp.id == 1).values(value=ChangeStamp.value + 1),
            execution_options={"synchronize_session": False},
        )


@event.listens_for(StampingSession, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    # Only the outermost transaction's end: a savepoint rolled back inside it does not undo the
    # writes flushed before the savepoint began.
    if transaction.parent is None:
        session.info.pop(_WROTE, None)
