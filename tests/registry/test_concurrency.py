"""Two users editing one record: the second write is refused, never silently overwriting."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from scidip.db.migrate import upgrade
from scidip.db.session import make_engine, make_sessionmaker
from scidip.errors import Conflict
from scidip.registry.person.schemas import PersonCreate
from scidip.registry.person.service import PERSON
from scidip.registry.record import create, get, update


def test_concurrent_edits_from_the_same_version(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    upgrade(engine)
    factory = make_sessionmaker(engine)
    try:
        with factory.begin() as s:
            create(s, PERSON, PersonCreate(key="p", name="Original"), actor="setup")
        alice: Session = factory()
        bob: Session = factory()
        # Both read version 1; Bob keeps his copy open (as an edit form would).
        bobs_copy = get(bob, PERSON, "p")
        assert get(alice, PERSON, "p").version == bobs_copy.version == 1
        update(alice, PERSON, "p", PersonCreate(key="p", name="Alice's"), 1, "alice")
        alice.commit()
        # Bob's session still holds version 1: the check in Python passes, and the database
        # refuses the write: PostgreSQL's UPDATE ... WHERE version = 1 matches no row; SQLite
        # refuses to let a transaction that read before Alice's commit write after it.
        refused = "person 'p' was (changed by someone else|not saved: someone else changed)"
        with pytest.raises(Conflict, match=refused):
            update(bob, PERSON, "p", PersonCreate(key="p", name="Bob's"), 1, "bob")
        bob.rollback()
        del bobs_copy
        # Reading again, Bob's session sees version 2 and refuses before writing anything.
        with pytest.raises(Conflict, match="is at version 2, the update was based on version 1"):
            update(bob, PERSON, "p", PersonCreate(key="p", name="Bob's"), 1, "bob")
        bob.rollback()
        alice.close()
        bob.close()
        with factory() as s:
            person = get(s, PERSON, "p")
            assert (person.name, person.version) == ("Alice's", 2)
    finally:
        engine.dispose()
