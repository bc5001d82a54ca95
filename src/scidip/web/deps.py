"""Dependencies of the routes, as ``Annotated`` aliases: the database session of a request, the
user asking (bearer token or session cookie), and the role a route needs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from sqlalchemy.orm import Session, sessionmaker

from scidip.config import Settings
from scidip.web.auth import cookie
from scidip.web.auth.models import Role, User
from scidip.web.auth.service import Principal, principal, require, user_for_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_db(request: Request) -> Iterator[Session]:
    """A session for the request that commits when the route succeeds and rolls back otherwise
    (before the response is sent, so a failed commit is an error response, not a lost write)."""
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


DbSession = Annotated[Session, Depends(get_db, scope="function")]


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def _unauthenticated() -> HTTPException:
    return HTTPException(
        401, "log in, or send a bearer token", headers={"WWW-Authenticate": "Bearer"}
    )


def _bearer(request: Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _from_cookie(request: Request, db: Session) -> User | None:
    page = cookie.decode(request.app.state.secret, request.cookies.get(cookie.COOKIE))
    if page is None:
        return None
    user = db.get(User, page.user_id)
    if user is None or user.disabled:
        return None
    if request.method not in SAFE_METHODS and not cookie.csrf_ok(
        page, request.headers.get(cookie.CSRF_HEADER)
    ):
        raise HTTPException(403, "missing or wrong CSRF token")
    return user


def current_user(request: Request, db: DbSession) -> Principal:
    """The user asking: from ``Authorization: Bearer <token>``, else from the session cookie
    (whose unsafe requests must carry the session's CSRF token). 401 when neither is valid."""
    token = _bearer(request)
    user = user_for_token(db, token) if token else _from_cookie(request, db)
    if user is None:
        raise _unauthenticated()
    request.state.user = user
    return principal(user)


Reader = Annotated[Principal, Depends(current_user)]


def editor(who: Reader) -> Principal:
    """The user asking, who must be an editor or an admin (403 otherwise)."""
    require(who, Role.editor)
    return who


def admin(who: Reader) -> Principal:
    """The user asking, who must be an admin (403 otherwise)."""
    require(who, Role.admin)
    return who


Editor = Annotated[Principal, Depends(editor)]
Admin = Annotated[Principal, Depends(admin)]


def as_of_param(
    as_of: Annotated[
        date | None,
        Query(description="The date the question is asked for (YYYY-MM-DD); default: today."),
    ] = None,
) -> date:
    """``as_of``, resolved to today once, here, when left out."""
    return as_of or date.today()


AsOf = Annotated[date, Depends(as_of_param)]
