"""Users: adding, listing, disabling, logging in (throttled), API tokens, role checks.

Like the registry's services, these take a session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scidip.auth.models import ApiToken, LoginAttempt, Role, User
from scidip.auth.passwords import (
    MIN_LENGTH,
    burn_time,
    generate_token,
    hash_password,
    token_digest,
    verify_password,
)
from scidip.db.base import Sensitivity, utcnow
from scidip.errors import Conflict, InvalidData, NotFound, PermissionDenied

MAX_FAILURES = 5
"""Failed logins allowed for one username within :data:`THROTTLE_WINDOW`."""

THROTTLE_WINDOW = timedelta(minutes=15)


class Throttled(PermissionDenied):
    """Too many failed logins for this username: wait before trying again."""


@dataclass(frozen=True)
class Principal:
    """Who is asking: what the web layer needs of a user for every check."""

    username: str
    role: Role
    clearance: Sensitivity

    def can(self, role: Role) -> bool:
        """Whether the user's role is ``role`` or above."""
        return self.role.rank >= role.rank


def principal(user: User) -> Principal:
    """The user as the web layer checks it."""
    return Principal(user.username, user.role, user.clearance)


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


def add_user(
    session: Session, username: str, password: str, role: Role, clearance: Sensitivity
) -> User:
    """A new user with an argon2id hash of ``password``; :class:`Conflict` if the name is taken."""
    if not username or len(username) > 80 or not username.isprintable() or " " in username:
        raise InvalidData("username: 1 to 80 printable characters, no spaces")
    if len(password) < MIN_LENGTH:
        raise InvalidData(f"password: at least {MIN_LENGTH} characters")
    if find_user(session, username) is not None:
        raise Conflict(f"user {username!r} already exists")
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role,
        clearance=clearance,
        disabled=False,
    )
    session.add(user)
    session.flush()
    return user


def list_users(session: Session) -> list[User]:
    """Every user, by name."""
    return list(session.scalars(select(User).order_by(User.username)))


def disable_user(session: Session, username: str) -> User:
    """Disable a user: no more logins, and their tokens stop working."""
    user = find_user(session, username)
    if user is None:
        raise NotFound(f"no user {username!r}")
    user.disabled = True
    session.flush()
    return user


def _recent_failures(session: Session, username: str, now: datetime) -> int:
    query = select(func.count(LoginAttempt.id)).where(
        LoginAttempt.username == username,
        LoginAttempt.succeeded.is_(False),
        LoginAttempt.at >= now - THROTTLE_WINDOW,
    )
    return int(session.scalar(query) or 0)


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user if ``password`` is right and the user enabled, else ``None``; every attempt is
    recorded. After :data:`MAX_FAILURES` failures within :data:`THROTTLE_WINDOW` the username is
    refused with :class:`Throttled` without checking the password."""
    now = utcnow()
    if _recent_failures(session, username, now) >= MAX_FAILURES:
        raise Throttled(f"too many failed logins for {username!r}: try again later")
    user = find_user(session, username)
    if user is None:
        burn_time(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and not user.disabled
    session.add(LoginAttempt(username=username[:80], at=now, succeeded=ok))
    session.flush()
    return user if ok else None


def issue_token(session: Session, user: User, label: str = "") -> str:
    """A new API token for ``user``; returned once, only its digest is stored."""
    token = generate_token()
    session.add(ApiToken(user_id=user.id, digest=token_digest(token), label=label))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The enabled user a bearer token belongs to, or ``None``."""
    query = (
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.digest == token_digest(token), User.disabled.is_(False))
    )
    return session.scalars(query).one_or_none()
