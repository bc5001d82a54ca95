"""Create, update, delete and upsert any registry record, with citations, versions and audit.

Each concept describes itself once as a :class:`Concept` (its table, its schema, how to read a
record into the schema and how to write the schema onto a record); everything that is the same for
every concept — the version check, the audit log, citations, reference lookup — lives here.
Services never commit: the caller owns the transaction.
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from scidip.db.base import Record, Sensitivity, utcnow
from scidip.errors import Conflict, InvalidData, NotFound
from scidip.registry.access import EVERYTHING, allowed
from scidip.registry.audit.models import AuditEntry
from scidip.registry.schemas import CitationIn, RecordIn
from scidip.registry.source.models import Citation, Source

M = TypeVar("M", bound=Record)
S = TypeVar("S", bound=RecordIn)
R = TypeVar("R", bound=Record)


class Outcome(enum.StrEnum):
    """What an upsert did."""

    inserted = "inserted"
    updated = "updated"
    unchanged = "unchanged"
    kept = "kept"
    """Not written: a user changed the record since the dataset last wrote it (see the loader)."""
    shared = "shared"
    """Not written: another dataset wrote it (a party both hold, say); that dataset keeps it."""


@dataclass(frozen=True)
class Concept(Generic[M, S]):
    """How one concept's records map to its schema.

    ``fields`` reads a record's own fields (everything but key, sensitivity and sources) as
    schema values; ``apply`` writes a schema onto a record, resolving references by key.
    """

    name: str
    model: type[M]
    schema: type[S]
    fields: Callable[[M], dict[str, Any]]
    apply: Callable[[Session, M, S], None]
    self_refs: Callable[[S], list[str]] | None = None
    """Keys of records of the same concept that ``data`` refers to (loaded before it)."""

    @property
    def table(self) -> str:
        """The concept's table name."""
        return str(self.model.__tablename__)  # type: ignore[attr-defined]


_REFS = "scidip.refs"


_ONE_SAVE = "scidip.one-save"


@contextmanager
def loading(session: Session) -> Iterator[None]:
    """A load: many saves that succeed or fail together in the caller's transaction. Within the
    block, :func:`ref` looks each key up once (a load refers to the same few hundred parties and
    sources thousands of times, and deletes or renames nothing), and the saves skip their own
    savepoints (a failure fails the whole load, which the caller rolls back)."""
    session.info[_REFS] = {}
    session.info[_ONE_SAVE] = True
    try:
        yield
    finally:
        session.info.pop(_REFS, None)
        session.info.pop(_ONE_SAVE, None)


def ref(session: Session, model: type[R], key: str | None, field: str) -> R | None:
    """The record of ``model`` whose key is ``key`` (``None`` passes through).

    Raises :class:`InvalidData` naming the field when no such record exists.
    """
    if key is None:
        return None
    memo: dict[tuple[type[Any], str], Any] | None = session.info.get(_REFS)
    if memo is not None and (model, key) in memo:
        found: R | None = memo[model, key]
        return found
    found = session.scalars(select(model).where(model.key == key)).one_or_none()
    if found is None:
        table = model.__tablename__  # type: ignore[attr-defined]
        raise InvalidData(f"{field}: no {table} with key {key!r}")
    if memo is not None:
        memo[model, key] = found
    return found


def refs(session: Session, model: type[R], keys: Iterable[str], field: str) -> list[R]:
    """:func:`ref` for a list of keys; every key must exist."""
    return [r for k in keys if (r := ref(session, model, k, field)) is not None]


def key_of(record: Record | None) -> str | None:
    """A related record's key, or ``None``."""
    return None if record is None else record.key


def get(
    session: Session, concept: Concept[M, S], key: str, clearance: Sensitivity = EVERYTHING
) -> M:
    """The record with ``key``; :class:`NotFound` if there is none or the reader's ``clearance``
    does not allow it (the two are indistinguishable: nothing is leaked)."""
    record = session.scalars(select(concept.model).where(concept.model.key == key)).one_or_none()
    if record is None or not allowed(record.sensitivity, clearance):
        raise NotFound(f"no {concept.table} with key {key!r}")
    return record


def find(session: Session, concept: Concept[M, S], key: str) -> M | None:
    """The record with ``key``, or ``None``."""
    return session.scalars(select(concept.model).where(concept.model.key == key)).one_or_none()


def citations(session: Session, table: str, record_id: int) -> list[CitationIn]:
    """The sources a record cites, in a stable order."""
    rows = session.execute(
        select(Source.key, Citation.locator)
        .join(Source, Source.id == Citation.source_id)
        .where(Citation.record_table == table, Citation.record_id == record_id)
        .order_by(Citation.id)
    )
    return [CitationIn(source=k, locator=loc) for k, loc in rows]


def snapshot(
    session: Session, concept: Concept[M, S], record: M, cited: list[CitationIn] | None = None
) -> S:
    """The record as its schema (what datasets export and the audit log keeps); ``cited``: its
    citations, when the caller has just written them."""
    if cited is None:
        cited = citations(session, concept.table, record.id) if record.id is not None else []
    return concept.schema.model_validate(
        {
            "key": record.key,
            "sensitivity": record.sensitivity,
            "sources": cited,
            **concept.fields(record),
        }
    )


def _write_citations(
    session: Session, table: str, record_id: int, cited: list[CitationIn], new: bool
) -> list[CitationIn]:
    """Replace the record's citations with ``cited`` (each once); returns what it wrote."""
    if not new:
        session.execute(
            delete(Citation).where(Citation.record_table == table, Citation.record_id == record_id)
        )
    seen: set[tuple[str, str]] = set()
    written = []
    for c in cited:
        if (c.source, c.locator) in seen:
            continue
        seen.add((c.source, c.locator))
        written.append(c)
        source = ref(session, Source, c.source, "sources")
        assert source is not None
        session.add(
            Citation(
                source_id=source.id, record_table=table, record_id=record_id, locator=c.locator
            )
        )
    return written


def _audit(
    session: Session,
    actor: str,
    action: str,
    table: str,
    record: Record,
    before: RecordIn | None,
    after: RecordIn | None,
) -> None:
    session.add(
        AuditEntry(
            actor=actor,
            action=action,
            record_table=table,
            record_id=record.id,
            record_key=record.key,
            before=None if before is None else before.model_dump(mode="json"),
            after=None if after is None else after.model_dump(mode="json"),
        )
    )


def _write(session: Session, concept: Concept[M, S], record: M, data: S) -> list[CitationIn]:
    """Write ``data`` onto ``record`` and flush; returns the citations written."""
    new = record.id is None
    with session.no_autoflush:
        record.key = data.key
        record.sensitivity = data.sensitivity
        concept.apply(session, record, data)
    session.add(record)
    # Touch the row so that its version increases even when only child rows changed.
    record.updated_at = utcnow()
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(f"{concept.table} {data.key!r} was changed by someone else") from exc
    written = _write_citations(session, concept.table, record.id, data.sources, new)
    session.flush()
    return written


@contextmanager
def _all_or_nothing(session: Session, concept: Concept[M, S], key: str) -> Iterator[None]:
    """Run one save in a savepoint: if any part of it fails (a missing reference, a stale
    version, a constraint), the session is left exactly as it was before the save, whatever the
    caller then does with its transaction. A unique key taken by a concurrent writer is a
    :class:`Conflict`, like a key taken before."""
    try:
        if session.info.get(_ONE_SAVE):
            yield
        else:
            with session.begin_nested():
                yield
    except OperationalError as exc:
        if "database is locked" not in str(exc.orig):
            raise
        # SQLite: a transaction that read before another's commit cannot write after it (or
        # the writer ahead held the lock past the busy timeout). Nothing of this save is kept.
        raise Conflict(
            f"{concept.table} {key!r} was not saved: someone else changed the registry since it "
            "was read; reload and apply the change again"
        ) from exc
    except IntegrityError as exc:
        if find(session, concept, key) is not None:
            raise key_not_available(concept, key) from exc
        raise InvalidData(f"{concept.table} {key!r}: refused by the database") from exc


def key_not_available(concept: Concept[M, S], key: str) -> Conflict:
    """The one answer to a key that some record holds, whichever: one the writer may see or one
    above their clearance, so that a 409 says nothing of a record they cannot see. (A writer who
    then reads the key and gets 404 can still infer that a hidden record holds it: a key chosen
    by the writer is an oracle by nature; :func:`free_key` is the way without one.)"""
    return Conflict(
        f"{concept.table} key {key!r} is not available: choose another key, or leave the key "
        "out and the registry assigns one"
    )


def free_key(session: Session, concept: Concept[M, S]) -> str:
    """A key no record of ``concept`` holds: ``<table>-<8 random hex digits>``, which names
    nothing and, drawn at random, tells nothing of the keys that are taken."""
    while True:
        key = f"{concept.table}-{secrets.token_hex(4)}"
        if find(session, concept, key) is None:
            return key


def create(
    session: Session, concept: Concept[M, S], data: S, actor: str, *, checked: bool = False
) -> M:
    """Insert a new record, all or nothing; :class:`Conflict` if the key is taken (``checked``:
    the caller has just looked)."""
    if not checked and find(session, concept, data.key) is not None:
        raise key_not_available(concept, data.key)
    record = concept.model()
    with _all_or_nothing(session, concept, data.key):
        after = snapshot(session, concept, record, _write(session, concept, record, data))
        _audit(session, actor, "create", concept.table, record, None, after)
    return record


def stage(session: Session, concept: Concept[M, S], data: S) -> M:
    """A load's insert of a new record, first half: the record built and added, not yet flushed,
    so that a load's inserts are flushed together (:func:`finish`). Within :func:`loading`,
    later references to its key find it. Raises :class:`InvalidData` on a missing reference."""
    record = concept.model()
    with session.no_autoflush:
        record.key = data.key
        record.sensitivity = data.sensitivity
        concept.apply(session, record, data)
    session.add(record)
    memo = session.info.get(_REFS)
    if memo is not None:
        memo[concept.model, data.key] = record
    return record


def finish(session: Session, concept: Concept[M, S], staged: list[tuple[M, S, str]]) -> None:
    """A load's inserts, second half: flush the staged records together, then write each one's
    citations and audit entry (``(record, data, actor)``) as :func:`create` does."""
    session.flush()
    for record, data, actor in staged:
        written = _write_citations(session, concept.table, record.id, data.sources, new=True)
        after = snapshot(session, concept, record, written)
        _audit(session, actor, "create", concept.table, record, None, after)
    session.flush()


def update(
    session: Session, concept: Concept[M, S], key: str, data: S, version: int, actor: str
) -> M:
    """Replace a record's content, naming the ``version`` the caller read, all or nothing.

    A stale version is refused with :class:`Conflict`, and any failure (a reference to a missing
    record, say) leaves the record as it was: nothing is written.
    """
    record = get(session, concept, key)
    if record.version != version:
        raise Conflict(
            f"{concept.table} {key!r} is at version {record.version}, "
            f"the update was based on version {version}: reload and apply the change again"
        )
    before = snapshot(session, concept, record)
    if data.key != key and find(session, concept, data.key) is not None:
        raise key_not_available(concept, data.key)
    _replace(session, concept, record, before, data, actor)
    return record


def _replace(
    session: Session, concept: Concept[M, S], record: M, before: S, data: S, actor: str
) -> None:
    with _all_or_nothing(session, concept, data.key):
        after = snapshot(session, concept, record, _write(session, concept, record, data))
        _audit(session, actor, "update", concept.table, record, before, after)


def remove(session: Session, concept: Concept[M, S], key: str, version: int, actor: str) -> None:
    """Delete a record, naming the version read; :class:`Conflict` if stale or still referenced."""
    record = get(session, concept, key)
    if record.version != version:
        raise Conflict(f"{concept.table} {key!r} is at version {record.version}, not {version}")
    before = snapshot(session, concept, record)
    try:
        with session.begin_nested():
            _audit(session, actor, "delete", concept.table, record, before, None)
            session.execute(
                delete(Citation).where(
                    Citation.record_table == concept.table, Citation.record_id == record.id
                )
            )
            session.delete(record)
            session.flush()
    except IntegrityError as exc:  # other records still point at this one
        raise Conflict(f"{concept.table} {key!r} is still referenced by other records") from exc


def upsert(session: Session, concept: Concept[M, S], data: S, actor: str) -> Outcome:
    """Insert the record, update it if it differs, or leave it: what a re-runnable load needs."""
    record = find(session, concept, data.key)
    if record is None:
        create(session, concept, data, actor, checked=True)
        return Outcome.inserted
    before = snapshot(session, concept, record)
    if before.model_dump(mode="json") == data.model_dump(mode="json"):
        return Outcome.unchanged
    _replace(session, concept, record, before, data, actor)
    return Outcome.updated
