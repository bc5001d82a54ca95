"""Server-side page sessions and API tokens: opened, listed, ended one by one or all at once.

A session's cookie and a token are random secrets handed out once; the database keeps only
their SHA-256 digests, with an expiry: :data:`SESSION_LIFETIME` for a session, the issuer's
choice (default :data:`TOKEN_LIFETIME`) for a token. A session is also refused once idle for
longer than the idle timeout (:data:`SESSION_IDLE`, the setting ``session_idle_minutes``): each
use moves its ``last_seen_at`` (:func:`touch_session`, at most once a :data:`TOUCH_EVERY`).
Ending a session or revoking a token deletes its row, so the next request carrying it is
refused (the change stamp rises with it: a server's cached identities are dropped,
:mod:`scidip.web.deps`).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from scidip.auth.models import ApiToken, User, WebSession
from scidip.auth.passwords import generate_token, token_digest
from scidip.db.base import utcnow
from scidip.errors import InvalidData, NotFound

SESSION_LIFETIME = timedelta(hours=12)
"""A page session ends this long after the login, used or not (ASVS V3.3.2, level 2)."""

SESSION_IDLE = timedelta(minutes=30)
"""The default idle timeout: a page session unused this long is refused (ASVS V3.3.2, level 2:
"12 hours or 30 minutes of inactivity")."""

TOUCH_EVERY = timedelta(minutes=1)
"""How often a session's last use is written: a session in use is written at most once a
minute, so it may end up to this much before its idle timeout (never after)."""

TOKEN_LIFETIME = timedelta(days=90)
"""The default lifetime of an API token issued on the command line."""

LOGIN_TOKEN_LIFETIME = timedelta(hours=12)
"""The lifetime of a token obtained with a password (``POST /api/v1/auth/token``)."""

MAX_TOKEN_LIFETIME = timedelta(days=366)


def aware(moment: datetime) -> datetime:
    """``moment`` in UTC (SQLite gives back naive datetimes, stored in UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def open_session(
    session: Session, user: User, *, address: str = "", agent: str = ""
) -> tuple[str, WebSession]:
    """A new page session for ``user``: its secret token (for the cookie, returned once) and
    its row."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = WebSession(
        user_id=user.id,
        digest=token_digest(token),
        created_at=now,
        expires_at=now + SESSION_LIFETIME,
        last_seen_at=now,
        address=address[:64],
        agent=agent[:200],
    )
    session.add(row)
    session.flush()
    return token, row


def _live(now: datetime, idle: timedelta) -> tuple[Any, Any]:
    """The SQL conditions of a live session at ``now``: before its expiry, and used within
    ``idle``."""
    return WebSession.expires_at > now, WebSession.last_seen_at > now - idle


def session_for(
    session: Session,
    token: str,
    *,
    idle: timedelta = SESSION_IDLE,
    now: datetime | None = None,
) -> tuple[WebSession, User] | None:
    """The live session of a cookie's token and its enabled user, or ``None`` (no such session,
    expired, idle for ``idle`` or longer, or a disabled user). Reads only: the caller records
    the use (:func:`touch_session`)."""
    now = now or utcnow()
    query = (
        select(WebSession, User)
        .join(User, User.id == WebSession.user_id)
        .where(WebSession.digest == token_digest(token), User.disabled.is_(False))
        .execution_options(populate_existing=True)  # touches are written in Core
    )
    found = session.execute(query).one_or_none()
    if found is None:
        return None
    row = found[0]
    if aware(row.expires_at) <= now or aware(row.last_seen_at) <= now - idle:
        return None
    return row, found[1]


def touch_session(
    session: Session | Connection, digest: str, *, idle: timedelta, now: datetime
) -> bool:
    """Record a use of the session of ``digest`` at ``now``, if it is still live (one UPDATE,
    atomic: a session that went idle is never revived); whether it was. Core, not the ORM: a use
    changes no answer, so it does not raise the change stamp (:mod:`scidip.db.stamp`)."""
    statement = (
        update(WebSession)
        .where(WebSession.digest == digest, *_live(now, idle))
        .values(last_seen_at=now)
    )
    result = session.execute(statement, execution_options={"synchronize_session": False})
    return bool(result.rowcount)  # type: ignore[attr-defined]


def prune_sessions(session: Session, *, idle: timedelta, now: datetime | None = None) -> int:
    """Delete the sessions that can no longer be used (expired, or idle for ``idle``); how
    many. In Core, like :func:`touch_session`: they were refused already, so no answer changes."""
    now = now or utcnow()
    dead = or_(WebSession.expires_at <= now, WebSession.last_seen_at <= now - idle)
    result = session.execute(
        delete(WebSession).where(dead), execution_options={"synchronize_session": False}
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def list_sessions(
    session: Session, user: User, *, idle: timedelta = SESSION_IDLE
) -> list[WebSession]:
    """The user's live sessions, newest first."""
    query = (
        select(WebSession)
        .where(WebSession.user_id == user.id, *_live(utcnow(), idle))
        .order_by(WebSession.created_at.desc(), WebSession.id.desc())
    )
    return list(session.scalars(query))


def _delete_own(
    session: Session, row: WebSession | ApiToken | None, user: User, what: str, id_: int
) -> None:
    if row is None or row.user_id != user.id:
        raise NotFound(f"{user.username} has no {what} {id_}")
    session.delete(row)
    session.flush()


def end_session(session: Session, user: User, session_id: int) -> None:
    """End one of the user's sessions; :class:`NotFound` if they have no such session."""
    _delete_own(session, session.get(WebSession, session_id), user, "session", session_id)


def end_sessions(session: Session, user: User, *, keep: int | None = None) -> int:
    """End every session of the user except ``keep``; how many ended."""
    rows = session.scalars(select(WebSession).where(WebSession.user_id == user.id))
    ended = [r for r in rows if r.id != keep]
    for row in ended:
        session.delete(row)
    session.flush()
    return len(ended)


def issue_token(
    session: Session, user: User, label: str = "", lifetime: timedelta = TOKEN_LIFETIME
) -> str:
    """A new API token for ``user``, valid for ``lifetime``; returned once, only its digest is
    stored."""
    if not timedelta(0) < lifetime <= MAX_TOKEN_LIFETIME:
        raise InvalidData(f"token lifetime: more than 0 and at most {MAX_TOKEN_LIFETIME.days} days")
    token = generate_token()
    now = utcnow()
    session.add(
        ApiToken(
            user_id=user.id,
            digest=token_digest(token),
            label=label[:120],
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return token


def token_for(session: Session, token: str) -> tuple[ApiToken, User] | None:
    """The unexpired token row of a bearer token and its enabled user, or ``None``."""
    query = (
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.digest == token_digest(token), User.disabled.is_(False))
    )
    found = session.execute(query).one_or_none()
    if found is None or aware(found[0].expires_at) <= utcnow():
        return None
    return found[0], found[1]


def user_for_token(session: Session, token: str) -> User | None:
    """The enabled user an unexpired bearer token belongs to, or ``None``."""
    found = token_for(session, token)
    return None if found is None else found[1]


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens (expired ones too, until revoked), newest first."""
    query = (
        select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(session.scalars(query))


def revoke_token(session: Session, user: User, token_id: int) -> None:
    """Revoke one of the user's tokens; :class:`NotFound` if they have no such token."""
    _delete_own(session, session.get(ApiToken, token_id), user, "token", token_id)


def revoke_tokens(session: Session, user: User) -> int:
    """Revoke every token of the user; how many."""
    rows = list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)))
    for row in rows:  # through the ORM, so that the change stamp rises
        session.delete(row)
    session.flush()
    session.expire(user, ["tokens"])
    return len(rows)
