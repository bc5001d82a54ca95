"""What the API and the pages share about the asking user's own sessions and tokens: the
session or token a request came with, and whose sessions an admin may look at."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.auth.models import ApiToken, Role, User, WebSession
from scidip.auth.passwords import token_digest
from scidip.auth.service import Principal, enabled_user, find_user, require
from scidip.auth.sessions import open_session
from scidip.errors import NotFound
from scidip.web import cookie


def open_page_session(
    db: Session, secret: str, user: User, *, address: str = "", agent: str = ""
) -> tuple[str, cookie.PageSession]:
    """Open a server-side session for ``user``: the session cookie's value and what it holds
    (the CSRF token of the session among it)."""
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
