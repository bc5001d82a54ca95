"""Users, passwords and their policy, throttled logins, roles and clearances, all audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from scidip.auth import passwords
from scidip.auth.models import LoginAttempt, Role, User
from scidip.auth.service import (
    Principal,
    Throttled,
    add_user,
    authenticate,
    change_password,
    disable_user,
    list_users,
    principal,
    require,
    reset_password,
    set_clearance,
    set_role,
)
from scidip.auth.sessions import issue_token, list_sessions, open_session, user_for_token
from scidip.db.base import Sensitivity, utcnow
from scidip.errors import Conflict, InvalidData, NotFound, PermissionDenied
from scidip.registry.audit.models import AuditEntry


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    )
    passwords._dummy_hash.cache_clear()


def test_passwords_are_stored_as_argon2id_hashes_with_the_recommended_parameters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher())
    stored = passwords.hash_password("correct horse battery")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(stored, "correct horse battery")
    assert not passwords.verify_password(stored, "correct horse batterY")
    assert not passwords.verify_password("not a hash", "correct horse battery")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-pass1", "at least 12 characters"),
        (" " * 12, "only spaces"),
        ("a" * 12, "one character repeated"),
        ("x" * 129, "at most 128 characters"),
        ("password1234", "too common or too easy to guess (This is a very common password)"),
        ("qwertyuiopas", "too common or too easy to guess"),
        ("passwordpassword", "too common or too easy to guess"),
        ("iloveyou2020!", "too common or too easy to guess"),
        ("alice-alice-1", "too common or too easy to guess"),  # the user's own name
    ],
)
def test_the_password_policy_refuses(session: Session, password: str, reason: str) -> None:
    with pytest.raises(InvalidData, match="^password: " + re.escape(reason)):
        add_user(session, "alice", password, Role.viewer, Sensitivity.public)
    assert list_users(session) == []


def test_add_list_disable_and_the_audit_log(session: Session) -> None:
    add_user(session, "bob", "password-of-bob", Role.editor, Sensitivity.internal, actor="root")
    add_user(session, "alice", "password-alice", Role.viewer, Sensitivity.public)
    disable_user(session, "bob", actor="root")
    rows = [(u.username, u.role, u.clearance, u.disabled) for u in list_users(session)]
    assert rows == [
        ("alice", Role.viewer, Sensitivity.public, False),
        ("bob", Role.editor, Sensitivity.internal, True),
    ]
    assert "password-of-bob" not in list_users(session)[1].password_hash
    audit = session.scalars(select(AuditEntry).where(AuditEntry.record_key == "bob")).all()
    assert [(a.actor, a.action, a.record_table) for a in audit] == [
        ("root", "create", "web_user"),
        ("root", "update", "web_user"),
    ]
    assert (audit[1].before["disabled"], audit[1].after["disabled"]) == (False, True)
    assert not any("password_hash" in (a.after or {}) for a in audit)


def test_add_refuses_a_taken_name_and_a_blank_name(session: Session) -> None:
    add_user(session, "alice", "password-alice", Role.viewer, Sensitivity.public)
    with pytest.raises(Conflict, match="user 'alice' already exists"):
        add_user(session, "alice", "another-password", Role.admin, Sensitivity.public)
    with pytest.raises(InvalidData, match="username"):
        add_user(session, "a b", "long-enough-1", Role.viewer, Sensitivity.public)
    with pytest.raises(NotFound, match="no user 'nobody'"):
        disable_user(session, "nobody")


def test_authenticate_records_every_attempt_with_its_address(session: Session) -> None:
    add_user(session, "alice", "password-alice", Role.viewer, Sensitivity.public)
    user = authenticate(session, "alice", "password-alice", address="192.0.2.1")
    assert user is not None and user.username == "alice"
    assert authenticate(session, "alice", "wrong-password", address="192.0.2.2") is None
    assert authenticate(session, "nobody", "password-alice", address="192.0.2.3") is None
    disable_user(session, "alice")
    assert authenticate(session, "alice", "password-alice", address="192.0.2.1") is None
    attempts = session.scalars(select(LoginAttempt).order_by(LoginAttempt.id))
    assert [(a.username, a.succeeded, a.address, a.checked) for a in attempts] == [
        ("alice", True, "192.0.2.1", True),
        ("alice", False, "192.0.2.2", True),
        ("nobody", False, "192.0.2.3", True),
        ("alice", False, "192.0.2.1", True),
    ]


def test_five_failures_make_the_account_wait_but_not_a_known_device(session: Session) -> None:
    add_user(session, "alice", "password-alice", Role.viewer, Sensitivity.public)
    for _ in range(5):
        assert authenticate(session, "alice", "guess-guess-1", address="198.51.100.9") is None
    with pytest.raises(Throttled, match=r"^too many failed logins: try again in 30 s$"):
        authenticate(session, "alice", "password-alice", address="192.0.2.1")
    # The owner's browser, where they logged in before, is counted apart: not locked out.
    assert authenticate(session, "alice", "password-alice", device="d1") is not None
    # Another name from another address is not affected.
    add_user(session, "bob", "password-of-bob", Role.viewer, Sensitivity.public)
    assert authenticate(session, "bob", "password-of-bob", address="192.0.2.7") is not None
    unchecked = session.scalars(select(LoginAttempt).where(LoginAttempt.checked.is_(False)))
    assert [(a.username, a.address) for a in unchecked] == [("alice", "192.0.2.1")]


def test_twenty_failures_from_one_address_make_it_wait_whatever_the_name(
    session: Session,
) -> None:
    add_user(session, "carol", "password-of-carol", Role.viewer, Sensitivity.public)
    for n in range(20):
        assert authenticate(session, f"user{n}", "guess-guess-1", address="203.0.113.5") is None
    with pytest.raises(Throttled):
        authenticate(session, "carol", "password-of-carol", address="203.0.113.5")
    assert authenticate(session, "carol", "password-of-carol", address="203.0.113.6") is not None


def test_roles_clearances_and_password_resets_are_audited(session: Session) -> None:
    add_user(session, "dan", "password-of-dan", Role.viewer, Sensitivity.public)
    set_role(session, "dan", Role.editor, actor="root")
    set_clearance(session, "dan", Sensitivity.internal, actor="root")
    reset_password(session, "dan", "a-new-password-9", actor="root")
    dan = session.scalars(select(User).where(User.username == "dan")).one()
    assert (dan.role, dan.clearance) == (Role.editor, Sensitivity.internal)
    assert passwords.verify_password(dan.password_hash, "a-new-password-9")
    audit = session.scalars(
        select(AuditEntry).where(AuditEntry.record_key == "dan").order_by(AuditEntry.id)
    ).all()
    changes = [
        {k: (a.before[k], a.after[k]) for k in a.after if a.before[k] != a.after[k]}
        for a in audit[1:]
    ]
    assert [c.keys() for c in changes] == [
        {"role"},
        {"clearance"},
        {"password_changed_at", "must_change_password"},  # an admin's reset: to be changed
    ]
    assert changes[0]["role"] == ("viewer", "editor")
    assert changes[1]["clearance"] == ("public", "internal")
    with pytest.raises(NotFound, match="no user 'nobody'"):
        set_role(session, "nobody", Role.admin)


def test_a_password_change_needs_the_old_one_and_ends_other_sessions_and_tokens(
    session: Session,
) -> None:
    eve = add_user(session, "eve", "password-of-eve", Role.viewer, Sensitivity.public)
    _, here = open_session(session, eve)
    open_session(session, eve)
    token = issue_token(session, eve, "script")
    with pytest.raises(PermissionDenied, match="the current password is wrong"):
        change_password(session, eve, "not-the-password", "a-new-password-9")
    with pytest.raises(InvalidData, match="at least 12 characters"):
        change_password(session, eve, "password-of-eve", "short")
    assert len(list_sessions(session, eve)) == 2
    change_password(session, eve, "password-of-eve", "a-new-password-9", keep_session=here.id)
    assert [s.id for s in list_sessions(session, eve)] == [here.id]
    assert user_for_token(session, token) is None
    assert authenticate(session, "eve", "a-new-password-9") is not None


def test_the_first_admin_is_disabled_once_another_admin_exists(session: Session) -> None:
    first = add_user(
        session, "admin", "printed-once-Xy7", Role.admin, Sensitivity.restricted, bootstrap=True
    )
    open_session(session, first)
    add_user(session, "ed", "password-of-ed", Role.editor, Sensitivity.public)
    assert not first.disabled  # an editor is no admin
    set_role(session, "ed", Role.admin, actor="admin")
    assert first.disabled and list_sessions(session, first) == []
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last is not None
    assert (last.actor, last.record_key, last.after["disabled"]) == ("system", "admin", True)


def test_a_first_admin_whose_password_was_changed_is_kept(session: Session) -> None:
    first = add_user(
        session, "admin", "printed-once-Xy7", Role.admin, Sensitivity.restricted, bootstrap=True
    )
    change_password(session, first, "printed-once-Xy7", "chosen-by-the-owner-1")
    add_user(session, "root", "password-of-root", Role.admin, Sensitivity.restricted)
    assert not first.disabled and not first.bootstrap


def test_tokens_are_stored_hashed_expire_and_stop_working_when_the_user_is_disabled(
    session: Session,
) -> None:
    alice = add_user(session, "alice", "password-alice", Role.editor, Sensitivity.public)
    token = issue_token(session, alice, "script")
    assert token.startswith("scidip_") and len(token) > 40
    stored = alice.tokens[0]
    assert (stored.digest, stored.label) == (passwords.token_digest(token), "script")
    assert stored.expires_at - stored.created_at == timedelta(days=90)
    found = user_for_token(session, token)
    assert found is not None and found.username == "alice"
    assert user_for_token(session, token + "x") is None
    stored.expires_at = stored.created_at  # expired
    session.flush()
    assert user_for_token(session, token) is None
    other = issue_token(session, alice, "other", timedelta(days=1))
    disable_user(session, "alice")
    assert user_for_token(session, other) is None
    with pytest.raises(InvalidData, match="token lifetime"):
        issue_token(session, alice, "too long", timedelta(days=400))


def test_require_checks_the_role_rank() -> None:
    editor = Principal("e", Role.editor, Sensitivity.public)
    require(editor, Role.viewer)
    require(editor, Role.editor)
    with pytest.raises(PermissionDenied, match="this needs the admin role; e has the editor role"):
        require(editor, Role.admin)


def test_a_right_password_below_the_policy_must_be_changed_at_login(session: Session) -> None:
    old = add_user(session, "old", "password-of-old", Role.editor, Sensitivity.internal)
    old.password_hash = passwords.hash_password("aaaaaaaaaa")  # set before the policy
    new = add_user(session, "new", "password-of-new", Role.editor, Sensitivity.internal)
    session.flush()
    assert authenticate(session, "old", "aaaaaaaaab") is None  # wrong: nothing flagged
    assert not old.must_change_password
    assert authenticate(session, "old", "aaaaaaaaaa") is old
    assert authenticate(session, "new", "password-of-new") is new
    assert (old.must_change_password, new.must_change_password) == (True, False)
    assert principal(old).must_change_password and not principal(new).must_change_password
    change_password(session, old, "aaaaaaaaaa", "a-new-password-9")
    assert not old.must_change_password
    assert authenticate(session, "old", "a-new-password-9") is old
    assert not old.must_change_password


def test_an_admins_reset_must_be_changed_by_its_owner(session: Session) -> None:
    dan = add_user(session, "dan", "password-of-dan", Role.viewer, Sensitivity.public)
    reset_password(session, "dan", "a-new-password-9", actor="root")
    assert dan.must_change_password
    change_password(session, dan, "a-new-password-9", "another-password-8")
    assert not dan.must_change_password


def test_a_login_deletes_attempts_older_than_the_throttles_window(session: Session) -> None:
    from scidip.auth.throttle import FORGET_AFTER

    add_user(session, "eve", "password-of-eve", Role.viewer, Sensitivity.public)
    now = utcnow()
    old = [now - FORGET_AFTER - timedelta(seconds=1), now - FORGET_AFTER + timedelta(minutes=1)]
    session.execute(
        insert(LoginAttempt),
        [{"username": "eve", "at": at, "succeeded": False, "address": "x"} for at in old],
    )
    authenticate(session, "eve", "password-of-eve", address="192.0.2.1")
    left = session.execute(
        select(LoginAttempt.address, LoginAttempt.at).where(LoginAttempt.username == "eve")
    ).all()
    assert sorted(address for address, _ in left) == ["192.0.2.1", "x"]
    assert [at for address, at in left if address == "x"] == [old[1]]
