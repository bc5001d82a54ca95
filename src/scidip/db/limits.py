"""Field-length limits, checked before anything is written: a text longer than its column
(``String(n)``), or holding a NUL character (which PostgreSQL cannot store), is refused with
:class:`~scidip.errors.InvalidData` naming the table, the field and the limit: a 422 on the web,
the same on both databases (SQLite would store it, PostgreSQL fail with a server error).

A listener on every :class:`~scidip.db.stamp.StampingSession` flush, so that every writer (API,
pages, command line, loader) keeps the same limits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session

from scidip.db.stamp import StampingSession
from scidip.errors import InvalidData


def check_lengths(obj: Any) -> None:
    """:class:`InvalidData` if a text attribute of ``obj`` is longer than its column or has a
    NUL character."""
    mapper = inspect(obj).mapper
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        if not isinstance(column.type, String):
            continue
        value = getattr(obj, prop.key, None)
        if not isinstance(value, str):
            continue
        where = f"{mapper.local_table.name}.{prop.key}"
        if column.type.length is not None and len(value) > column.type.length:
            raise InvalidData(
                f"{where}: at most {column.type.length} characters (got {len(value)})"
            )
        if "\x00" in value:
            raise InvalidData(f"{where}: a NUL character is not allowed")


@event.listens_for(StampingSession, "before_flush")
def _check(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        check_lengths(obj)
