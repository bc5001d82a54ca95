"""Users: adding, listing, disabling, logging in (throttled), passwords, roles, clearances.

Like the registry's services, these take a session and never commit. Every change to a user is
written to the audit log (table ``web_user``; never a password or its hash). Sessions and API
tokens are in :mod:`scidip.auth.sessions`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, column, insert, select, table
from sqlalchemy.orm import Session

from scidip.auth.models import LoginAttempt, Role, User
from scidip.auth.passwords import burn_time, check_password, hash_password, verify_password
from scidip.auth.sessions import end_sessions, revoke_tokens
from scidip.auth.sessions import issue_token as issue_token  # re-exported: callers predate sessions
from scidip.auth.sessions import user_for_token as user_for_token
from scidip.auth.throttle import check_and_record, keys_for, prune
from scidip.db.base import Sensitivity, utcnow
from scidip.errors import Conflict, InvalidData, NotFound, PermissionDenied

log = logging.getLogger("scidip.security")

SYSTEM = "system"
"""The actor of changes made by the server itself (disabling the first admin)."""


class Throttled(PermissionDenied):
    """Too many failed logins for this account, address or device: wait before trying again."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins: try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Principal:
    """Who is asking: what the web layer needs of a user for every check."""

    username: str
    role: Role
    clearance: Sensitivity
    must_change_password: bool = False
    """Until they change their password, the user may do nothing else (see :func:`authenticate`)."""

    def can(self, role: Role) -> bool:
        """Whether the user's role is ``role`` or above."""
        return self.role.rank >= role.rank


def principal(user: User) -> Principal:
    """The user as the web layer checks it."""
    return Principal(user.username, user.role, user.clearance, bool(user.must_change_password))


def require(who: Principal, role: Role) -> None:
    """:class:`PermissionDenied` unless ``who`` has ``role`` or above."""
    if not who.can(role):
        raise PermissionDenied(
            f"this needs the {role.value} role; {who.username} has the {who.role.value} role"
        )


def find_user(session: Session, username: str) -> User | None:
    """The user called ``username``, or ``None``."""
    return session.scalars(select(User).where(User.username == username)).one_or_none()


def enabled_user(session: Session, username: str) -> User:
    """The enabled user called ``username``; :class:`NotFound` otherwise."""
    user = find_user(session, username)
    if user is None or user.disabled:
        raise NotFound(f"no enabled user {username!r}")
    return user


def _existing(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def _state(user: User) -> dict[str, Any]:
    changed = user.password_changed_at
    return {
        "username": user.username,
        "role": user.role.value,
        "clearance": user.clearance.value,
        "disabled": user.disabled,
        "password_changed_at": None if changed is None else changed.isoformat(),
        "must_change_password": bool(user.must_change_password),
    }


# The registry's audit log (scidip.registry.audit.models.AuditEntry), written in Core: auth and
# the registry are independent layers (docs/architecture.md).
_AUDIT = table(
    "audit_entry",
    column("at", DateTime(timezone=True)),
    *(column(name, String) for name in ("actor", "action", "record_table", "record_key")),
    column("record_id", Integer),
    column("before", JSON),
    column("after", JSON),
)


def _audit(session: Session, actor: str, user: User, before: dict[str, Any] | None) -> None:
    session.flush()
    after = _state(user)
    session.execute(
        insert(_AUDIT).values(
            at=utcnow(),
            actor=actor[:120],
            action="create" if before is None else "update",
            record_table="web_user",
            record_id=user.id,
            record_key=user.username,
            before=before,
            after=after,
        )
    )


def add_user(
    session: Session,
    username: str,
    password: str,
    role: Role,
    clearance: Sensitivity,
    *,
    actor: str = SYSTEM,
    bootstrap: bool = False,
) -> User:
    """A new user with an argon2id hash of ``password`` (which must keep the policy:
    :func:`~scidip.auth.passwords.check_password`); :class:`Conflict` if the name is taken.
    A new admin disables the first admin made by the server (:func:`retire_bootstrap`)."""
    if not username or len(username) > 80 or not username.isprintable() or " " in username:
        raise InvalidData("username: 1 to 80 printable characters, no spaces")
    check_password(password, username)
    if find_user(session, username) is not None:
        raise Conflict(f"user {username!r} already exists")
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role,
        clearance=clearance,
        disabled=False,
        bootstrap=bootstrap,
        password_changed_at=utcnow(),
    )
    session.add(user)
    _audit(session, actor, user, None)
    retire_bootstrap(session)
    return user


def list_users(session: Session) -> list[User]:
    """Every user, by name."""
    return list(session.scalars(select(User).order_by(User.username)))


def disable_user(session: Session, username: str, *, actor: str = SYSTEM) -> User:
    """Disable a user: no more logins; their sessions end and their tokens are revoked."""
    user = _existing(session, username)
    before = _state(user)
    user.disabled = True
    end_sessions(session, user)
    revoke_tokens(session, user)
    _audit(session, actor, user, before)
    return user


def retire_bootstrap(session: Session) -> list[str]:
    """Disable the first admin made by the server (whose password was printed) once another
    enabled admin exists; its owner keeps it by changing its password first. Returns the names
    disabled."""
    query = select(User).where(User.role == Role.admin, User.disabled.is_(False))
    admins = list(session.scalars(query))
    first = [u for u in admins if u.bootstrap]
    if not first or len(admins) == len(first):
        return []
    for user in first:
        disable_user(session, user.username, actor=SYSTEM)
        log.warning("disabled the first admin %r: another admin exists", user.username)
    return [u.username for u in first]


def set_role(session: Session, username: str, role: Role, *, actor: str = SYSTEM) -> User:
    """Change a user's role (audited)."""
    user = _existing(session, username)
    before = _state(user)
    user.role = role
    _audit(session, actor, user, before)
    retire_bootstrap(session)
    return user


def set_clearance(
    session: Session, username: str, clearance: Sensitivity, *, actor: str = SYSTEM
) -> User:
    """Change a user's clearance (audited)."""
    user = _existing(session, username)
    before = _state(user)
    user.clearance = clearance
    _audit(session, actor, user, before)
    return user


def _new_password(session: Session, user: User, password: str, actor: str) -> None:
    check_password(password, user.username)
    before = _state(user)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.bootstrap = False
    # A password an admin set is known to the admin: its owner changes it at the next login.
    user.must_change_password = actor != user.username
    _audit(session, actor, user, before)


def change_password(
    session: Session, user: User, old: str, new: str, *, keep_session: int | None = None
) -> None:
    """The user's own change: needs the old password. Ends every other session of theirs
    (``keep_session`` stays: the one they changed it from) and revokes their API tokens."""
    if not verify_password(user.password_hash, old):
        raise PermissionDenied("the current password is wrong")
    if old == new:
        raise InvalidData("password: the new password is the old one")
    _new_password(session, user, new, user.username)
    end_sessions(session, user, keep=keep_session)
    revoke_tokens(session, user)


def reset_password(session: Session, username: str, new: str, *, actor: str) -> User:
    """An admin's reset: ends all the user's sessions and revokes their tokens."""
    user = _existing(session, username)
    _new_password(session, user, new, actor)
    end_sessions(session, user)
    revoke_tokens(session, user)
    return user


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    address: str = "",
    device: str | None = None,
) -> User | None:
    """The user if ``password`` is right and the user enabled, else ``None``; every attempt is
    recorded with its source ``address``. Throttled (:mod:`scidip.auth.throttle`): while the
    account and address (or the known ``device``) must wait, :class:`Throttled` is raised
    without checking the password; the caller commits either way. Attempts and counters older
    than the throttle's window are deleted first (:func:`~scidip.auth.throttle.prune`).

    A right password that fails the current policy (set before it, or by an admin's reset)
    sets the user's ``must_change_password``: the login succeeds, but the user may do nothing
    else until they change it (ASVS 4.0.3 V2.1.7: passwords submitted at registration, login
    and change are checked, and a breached one must be replaced by the user)."""
    prune(session)
    user = find_user(session, username)

    def check() -> bool:
        if user is None:
            burn_time(password)
            return False
        return verify_password(user.password_hash, password) and not user.disabled

    verdict = check_and_record(session, keys_for(username, address, device), check)
    attempt = LoginAttempt(
        username=username[:80],
        at=utcnow(),
        succeeded=verdict.ok,
        address=address[:64],
        checked=verdict.checked,
    )
    session.add(attempt)
    session.flush()
    if not verdict.checked:
        log.warning("login throttled: user %r from %s", username[:80], address)
        raise Throttled(verdict.retry_after)
    if not verdict.ok:
        log.warning("failed login: user %r from %s", username[:80], address)
        return None
    assert user is not None  # the check passed
    if not user.must_change_password and not _keeps_policy(password, user.username):
        user.must_change_password = True
        session.flush()
        log.warning("user %r logged in with a password below the policy", user.username)
    return user


def _keeps_policy(password: str, username: str) -> bool:
    try:
        check_password(password, username)
    except InvalidData:
        return False
    return True
