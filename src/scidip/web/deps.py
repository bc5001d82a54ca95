"""Dependencies of the routes, as ``Annotated`` aliases: the database session of a request, the
user asking (bearer token or session cookie), and the role a route needs."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request
from pydantic import PlainValidator, WithJsonSchema
from sqlalchemy.orm import Session, sessionmaker

from scidip.auth.models import Role, User
from scidip.auth.passwords import token_digest
from scidip.auth.service import Principal, principal, require
from scidip.auth.sessions import aware, session_for, token_for
from scidip.config import Settings
from scidip.db.session import WRITE
from scidip.db.stamp import read_stamp
from scidip.web import cookie
from scidip.web.cache import ReadCache
from scidip.web.sessions import Activity, activity

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_db(request: Request) -> Iterator[Session]:
    """A session for the request that commits when the route succeeds and rolls back otherwise
    (before the response is sent, so a failed commit is an error response, not a lost write)."""
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as session:
        try:
            if request.method not in SAFE_METHODS:  # writers take SQLite's lock in turn
                session.connection(execution_options={WRITE: True})
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


DbSession = Annotated[Session, Depends(get_db, scope="function")]


async def get_settings(request: Request) -> Settings:
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


class _NoOne(Exception):
    """No enabled user answers to the credential (not kept in the cache: junk must not fill it)."""


Find = Callable[[Session], tuple[User, datetime] | None]
"""How to find a credential's enabled user and until when the credential is valid."""


def _by_token(token: str) -> Find:
    def find(db: Session) -> tuple[User, datetime] | None:
        found = token_for(db, token)
        return None if found is None else (found[1], found[0].expires_at)

    return find


def _by_session(token: str, idle: Activity) -> Find:
    def find(db: Session) -> tuple[User, datetime] | None:
        found = session_for(db, token, idle=idle.idle, now=idle.clock())
        return None if found is None else (found[1], found[0].expires_at)

    return find


def _live(request: Request, entry: tuple[Principal, datetime]) -> Principal | None:
    """The principal of a cached identity, unless its credential expired since it was kept."""
    who, expires = entry
    return who if expires > activity(request).clock() else None


def _credential(request: Request, bearer: bool) -> tuple[tuple[str, Any], Find] | None:
    """The credential the request carries: its key in the read cache (``("session", digest)``
    for a page session) and how to find its user; the bearer token (unless ``bearer`` is false,
    as for pages), else the session cookie."""
    token = _bearer(request) if bearer else None
    if token:
        return ("token", token_digest(token)), _by_token(token)
    page = cookie.decode(request.app.state.secret, request.cookies.get(cookie.COOKIE))
    if page is None:
        return None
    return ("session", token_digest(page.token)), _by_session(page.token, activity(request))


def identify(
    request: Request, db: Session | None = None, *, bearer: bool = True
) -> Principal | None:
    """Who sent the request: the user of ``Authorization: Bearer <token>`` (unless ``bearer`` is
    false, as for pages), else of the session cookie; ``None`` for nobody (or a disabled user).
    Resolved once per request.

    Reads the change stamp first (``request.state.stamp``, for the read cache: on ``db``, or
    with the app's stamp reader when there is none), then answers from the cache: users and
    tokens are records too, so disabling a user or issuing a token raises the stamp and is seen
    by the next request. Only a user not in the cache is looked up, on ``db`` or a session
    opened for it. Does not check CSRF (see :func:`current_user`).
    """
    if hasattr(request.state, "who"):
        known: Principal | None = request.state.who
        return known
    request.state.stamp = read_stamp(db) if db is not None else request.app.state.stamps()
    credential = _credential(request, bearer)
    who: Principal | None = None
    if credential is not None:
        key, find = credential

        def lookup() -> tuple[Principal, datetime]:
            found = _on(request, db, find)
            if found is None or found[0].disabled:
                raise _NoOne
            return principal(found[0]), aware(found[1])

        try:
            who = _live(request, read_cache(request).get(request.state.stamp, key, lookup))
        except _NoOne:
            who = None
        # A page session's use is recorded, and an idle one refused, whatever the cache holds.
        if who is not None and key[0] == "session" and not activity(request).live(key[1]):
            who = None
    request.state.who = who
    return who


def kept_identity(request: Request, *, bearer: bool) -> Principal | None:
    """Who sent the request, if the read cache holds it at the current stamp; else ``None``.

    Touches no session (the stamp comes from the app's stamp reader): for answering from the
    cache ahead of routing, where a request must not wait for the connection pool. Sets
    ``request.state.stamp``, not ``request.state.who``: a request it cannot answer is resolved
    by the route as usual.
    """
    request.state.stamp = request.app.state.stamps()
    credential = _credential(request, bearer)
    if credential is None:
        return None
    key = credential[0]
    if key[0] == "session" and not activity(request).known_live(key[1]):
        return None  # its use must be recorded (or its idleness found): on the route's way
    found, entry = read_cache(request).peek(request.state.stamp, key)
    return _live(request, entry) if found else None


def _on(request: Request, db: Session | None, find: Find) -> tuple[User, datetime] | None:
    """``find(db)``, on a session of the app's own when ``db`` is None."""
    if db is not None:
        return find(db)
    with request.app.state.sessions() as own:
        return find(own)


def current_user(request: Request, db: DbSession) -> Principal:
    """The user asking: from ``Authorization: Bearer <token>``, else from the session cookie
    (whose unsafe requests must carry the session's CSRF token). 401 when neither is valid."""
    who = identify(request, db)
    if who is None:
        raise _unauthenticated()
    if request.method not in SAFE_METHODS and not _bearer(request):
        page = cookie.decode(request.app.state.secret, request.cookies.get(cookie.COOKIE))
        if page is None or not cookie.csrf_ok(page, request.headers.get(cookie.CSRF_HEADER)):
            raise HTTPException(403, "missing or wrong CSRF token")
    if who.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS:
        raise HTTPException(
            403, "change your password first (POST /api/v1/auth/password): it fails the policy"
        )
    return who


PASSWORD_CHANGE_PATHS = frozenset(
    {"/api/v1/auth/password", "/api/v1/auth/logout", "/api/v1/auth/me"}
)
"""What a user who must change their password may still reach on the API."""


def read_cache(request: Request) -> ReadCache:
    """The process's cache of read answers (:mod:`scidip.web.cache`)."""
    cache: ReadCache = request.app.state.read_cache
    return cache


Reader = Annotated[Principal, Depends(current_user)]


async def editor(who: Reader) -> Principal:
    """The user asking, who must be an editor or an admin (403 otherwise)."""
    require(who, Role.editor)
    return who


async def admin(who: Reader) -> Principal:
    """The user asking, who must be an admin (403 otherwise)."""
    require(who, Role.admin)
    return who


Editor = Annotated[Principal, Depends(editor)]
Admin = Annotated[Principal, Depends(admin)]


DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_day(value: Any) -> date:
    """A day written ``YYYY-MM-DD`` (0001-01-01 to 9999-12-31), and nothing else: no number, no
    time, no week date (what a lax parser reads as a day, or as today)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not DAY.fullmatch(value):
        raise ValueError("expected a day as YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"no such day: {value}") from None


Day = Annotated[date, PlainValidator(iso_day), WithJsonSchema({"type": "string", "format": "date"})]
"""A day in a query string, checked strictly (422 otherwise)."""


async def as_of_param(
    as_of: Annotated[
        Day | None,
        Query(description="The date the question is asked for (YYYY-MM-DD); default: today."),
    ] = None,
) -> date:
    """``as_of``, resolved to today once, here, when left out."""
    return as_of or date.today()


AsOf = Annotated[date, Depends(as_of_param)]


def home_param(
    db: DbSession,
    settings: SettingsDep,
    home: Annotated[
        str | None,
        Query(
            pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$",
            max_length=8,
            description="Code of the party whose side to answer from; default: the configured "
            "home party, else the first loaded dataset's (its dataset.yaml).",
        ),
    ] = None,
) -> str:
    """The home party in force for this request (:func:`scidip.registry.home.home_party`)."""
    from scidip.registry.home import home_party

    return home_party(db, home or settings.home_party, settings.dataset)


Home = Annotated[str, Depends(home_param)]
