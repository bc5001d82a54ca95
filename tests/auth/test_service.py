"""Users, passwords, throttled logins and API tokens."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.auth import passwords
from scidip.auth.models import ApiToken, LoginAttempt, Role
from scidip.auth.service import (
    MAX_FAILURES,
    Principal,
    Throttled,
    add_user,
    authenticate,
    disable_user,
    issue_token,
    list_users,
    require,
    user_for_token,
)
from scidip.db.base import Sensitivity
from scidip.errors import Conflict, InvalidData, NotFound, PermissionDenied


def test_passwords_are_stored_as_argon2id_hashes_with_the_recommended_parameters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher())
    stored = passwords.hash_password("correct horse battery")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(stored, "correct horse battery")
    assert not passwords.verify_password(stored, "correct horse batterY")
    assert not passwords.verify_password("not a hash", "correct horse battery")


def test_add_list_disable(session: Session) -> None:
    add_user(session, "bob", "password-bob", Role.editor, Sensitivity.internal)
    add_user(session, "alice", "password-alice", Role.viewer, Sensitivity.public)
    disable_user(session, "bob")
    rows = [(u.username, u.role, u.clearance, u.disabled) for u in list_users(session)]
    assert rows == [
        ("alice", Role.viewer, Sensitivity.public, False),
        ("bob", Role.editor, Sensitivity.internal, True),
    ]
    assert "password-bob" not in list_users(session)[1].password_hash


def test_add_refuses_a_taken_name_a_short_password_and_a_blank_name(session: Session) -> None:
    add_user(session, "alice", "password-alice", Role.viewer, Sensitivity.public)
    with pytest.raises(Conflict, match="user 'alice' already exists"):
        add_user(session, "alice", "another-password", Role.admin, Sensitivity.public)
    with pytest.raises(InvalidData, match="password: at least 10 characters"):
        add_user(session, "carol", "short", Role.viewer, Sensitivity.public)
    with pytest.raises(InvalidData, match="username"):
        add_user(session, "a b", "long-enough-1", Role.viewer, Sensitivity.public)
    with pytest.raises(NotFound, match="no user 'nobody'"):
        disable_user(session, "nobody")


def test_authenticate_records_every_attempt(session: Session) -> None:
    add_user(session, "alice", "password-alice", Role.viewer, Sensitivity.public)
    user = authenticate(session, "alice", "password-alice")
    assert user is not None and user.username == "alice"
    assert authenticate(session, "alice", "wrong-password") is None
    assert authenticate(session, "nobody", "password-alice") is None
    disable_user(session, "alice")
    assert authenticate(session, "alice", "password-alice") is None
    attempts = session.scalars(select(LoginAttempt).order_by(LoginAttempt.id))
    assert [(a.username, a.succeeded) for a in attempts] == [
        ("alice", True),
        ("alice", False),
        ("nobody", False),
        ("alice", False),
    ]


def test_logins_are_throttled_after_repeated_failures(session: Session) -> None:
    add_user(session, "alice", "password-alice", Role.viewer, Sensitivity.public)
    for _ in range(MAX_FAILURES):
        assert authenticate(session, "alice", "guess") is None
    with pytest.raises(Throttled, match="too many failed logins for 'alice'"):
        authenticate(session, "alice", "password-alice")
    # Another name is not affected.
    add_user(session, "bob", "password-bob", Role.viewer, Sensitivity.public)
    assert authenticate(session, "bob", "password-bob") is not None


def test_tokens_are_stored_hashed_and_stop_working_when_the_user_is_disabled(
    session: Session,
) -> None:
    alice = add_user(session, "alice", "password-alice", Role.editor, Sensitivity.public)
    token = issue_token(session, alice, "script")
    assert token.startswith("scidip_") and len(token) > 40
    stored = session.scalars(select(ApiToken)).one()
    assert (stored.digest, stored.label) == (passwords.token_digest(token), "script")
    assert token not in stored.digest
    found = user_for_token(session, token)
    assert found is not None and found.username == "alice"
    assert user_for_token(session, token + "x") is None
    disable_user(session, "alice")
    assert user_for_token(session, token) is None


def test_require_checks_the_role_rank() -> None:
    editor = Principal("e", Role.editor, Sensitivity.public)
    require(editor, Role.viewer)
    require(editor, Role.editor)
    with pytest.raises(PermissionDenied, match="this needs the admin role; e has the editor role"):
        require(editor, Role.admin)
