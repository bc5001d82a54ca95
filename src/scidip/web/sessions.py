"""What the API and the pages share about the asking user's own sessions and tokens: the
session or token a request came with, whose sessions an admin may look at, and the idle timeout
of page sessions (:class:`Activity`)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta
from threading import Lock

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.auth.models import ApiToken, Role, User, WebSession
from scidip.auth.passwords import token_digest
from scidip.auth.service import Principal, enabled_user, find_user, require
from scidip.auth.sessions import SESSION_IDLE, TOUCH_EVERY, open_session, prune_sessions
from scidip.db.base import utcnow
from scidip.errors import NotFound
from scidip.web import cookie

Touch = Callable[[str, timedelta, datetime], bool]
"""Record a use of the session of a digest, given the idle timeout and the time; whether it was
still live (:func:`scidip.auth.sessions.touch_session`, committed)."""


class Activity:
    """The idle timeout of page sessions, enforced on the server (ASVS 4.0.3 V3.3.2).

    The database holds each session's last use (``web_session.last_seen_at``); a request on a
    session whose last use is ``idle`` or more ago is refused, whatever the process. So that a
    read does not write each time, a process writes a session's use at most once a
    :data:`~scidip.auth.sessions.TOUCH_EVERY` and remembers when (a bounded map): within that
    minute it knows the session live without asking. ``clock`` is the time (tests move it)."""

    MAX_REMEMBERED = 10_000

    def __init__(
        self, touch: Touch, idle: timedelta = SESSION_IDLE, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.touch, self.idle, self.clock = touch, idle, clock
        self._seen: OrderedDict[str, datetime] = OrderedDict()
        self._lock = Lock()

    def known_live(self, digest: str) -> bool:
        """Whether this process recorded a use of the session within the last minute (no
        database read)."""
        with self._lock:
            seen = self._seen.get(digest)
        return seen is not None and self.clock() - seen < TOUCH_EVERY

    def live(self, digest: str) -> bool:
        """Whether the session is live, recording this use (a write at most once a minute)."""
        if self.known_live(digest):
            return True
        now = self.clock()
        alive = self.touch(digest, self.idle, now)
        with self._lock:
            if alive:
                self._seen[digest] = now
                self._seen.move_to_end(digest)
                while len(self._seen) > self.MAX_REMEMBERED:
                    self._seen.popitem(last=False)
            else:
                self._seen.pop(digest, None)
        return alive


def activity(request: Request) -> Activity:
    """The app's :class:`Activity`."""
    found: Activity = request.app.state.activity
    return found


def open_page_session(
    db: Session,
    secret: str,
    user: User,
    *,
    address: str = "",
    agent: str = "",
    idle: timedelta = SESSION_IDLE,
) -> tuple[str, cookie.PageSession]:
    """Open a server-side session for ``user``: the session cookie's value and what it holds
    (the CSRF token of the session among it). Sessions that can no longer be used (anyone's)
    are deleted first, so the table holds only live ones and those that died since the last
    login."""
    prune_sessions(db, idle=idle)
    token, _row = open_session(db, user, address=address, agent=agent)
    page = cookie.new_session(token)
    return cookie.encode(secret, page), page


def current_session(request: Request, db: Session) -> WebSession | None:
    """The server-side session of the request's cookie, if it still exists."""
    page = cookie.decode(request.app.state.secret, request.cookies.get(cookie.COOKIE))
    if page is None:
        return None
    digest = token_digest(page.token)
    return db.scalars(select(WebSession).where(WebSession.digest == digest)).one_or_none()


def current_token(request: Request, db: Session) -> ApiToken | None:
    """The token row of the request's bearer token, if it still exists."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    digest = token_digest(token.strip())
    return db.scalars(select(ApiToken).where(ApiToken.digest == digest)).one_or_none()


def end_current_session(request: Request, db: Session) -> bool:
    """End the session of the request's cookie; whether there was one."""
    row = current_session(request, db)
    if row is None:
        return False
    db.delete(row)
    db.flush()
    return True


def subject(db: Session, who: Principal, username: str | None) -> User:
    """The user whose sessions or tokens are asked for: the asking user, or (admins only)
    ``username``; :class:`NotFound` for no such user."""
    if username is None or username == who.username:
        return enabled_user(db, who.username)
    require(who, Role.admin)
    user = find_user(db, username)
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user
