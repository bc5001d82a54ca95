"""The change stamp: raised once by every committed transaction that changes records, never by a
read, a rollback, or a login attempt alone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from scidip.auth.models import LoginAttempt
from scidip.db.migrate import upgrade
from scidip.db.session import make_engine, make_sessionmaker
from scidip.db.stamp import StampReader, read_stamp
from scidip.registry.person.models import Person


def _person(key: str) -> Person:
    return Person(key=key, name=key.upper())


def test_a_committed_write_raises_the_stamp_once(session: Session) -> None:
    before = read_stamp(session)
    session.add(_person("a"))
    session.flush()
    session.add(_person("b"))
    session.flush()
    session.commit()
    assert read_stamp(session) == before + 1


def test_what_the_commit_flushes_counts_too(session: Session) -> None:
    before = read_stamp(session)
    session.add(_person("a"))  # not flushed before commit
    session.commit()
    assert read_stamp(session) == before + 1


def test_reads_and_rollbacks_leave_the_stamp(session: Session) -> None:
    before = read_stamp(session)
    session.get(Person, 1)
    session.commit()
    session.add(_person("a"))
    session.flush()
    session.rollback()
    session.commit()
    assert read_stamp(session) == before


def test_a_login_attempt_alone_leaves_the_stamp(session: Session) -> None:
    before = read_stamp(session)
    session.add(LoginAttempt(username="x", at=datetime.now(UTC), succeeded=False))
    session.commit()
    assert read_stamp(session) == before


def test_a_savepoint_rolled_back_keeps_the_earlier_write_counted(session: Session) -> None:
    before = read_stamp(session)
    session.add(_person("a"))
    session.flush()
    inner = session.begin_nested()
    session.add(_person("b"))
    session.flush()
    inner.rollback()
    session.commit()
    assert read_stamp(session) == before + 1
    assert [p.key for p in session.query(Person).filter(Person.key.in_(["a", "b"]))] == ["a"]


def test_updates_and_deletes_raise_it(session: Session) -> None:
    session.add(_person("a"))
    session.commit()
    before = read_stamp(session)
    person = session.query(Person).filter_by(key="a").one()
    person.name = "A."
    session.commit()
    session.delete(person)
    session.commit()
    assert read_stamp(session) == before + 2


def test_the_stamp_reader_sees_every_commit_at_once(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    upgrade(engine)
    reader = StampReader(empty_database_url)
    try:
        assert reader() == 0
        with make_sessionmaker(engine)() as s, s.begin():
            s.add(_person("a"))
        assert reader() == 1
        with make_sessionmaker(engine)() as s, s.begin():
            s.add(LoginAttempt(username="x", at=datetime.now(UTC), succeeded=False))
        assert reader() == 1
    finally:
        reader.close()
        engine.dispose()
