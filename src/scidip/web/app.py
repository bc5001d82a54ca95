"""The app factory: ``create_app(settings)`` builds the workbench; nothing happens at import."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from scidip import __version__
from scidip.auth.sessions import touch_session
from scidip.config import Settings
from scidip.db.session import WRITE, make_engine, make_sessionmaker
from scidip.db.stamp import StampReader, read_stamp
from scidip.web import errors
from scidip.web.api.responses import document_errors
from scidip.web.api.router import api_router
from scidip.web.cache import ReadCache
from scidip.web.kept import KeptAnswers
from scidip.web.limit import ConcurrencyLimit
from scidip.web.pages import (
    account,
    analytics,
    auth,
    calendar,
    confirmed,
    directory,
    edit,
    entities,
    lists,
    registry,
    workbench,
    writes,
)
from scidip.web.pages.context import templates
from scidip.web.secret import session_secret
from scidip.web.security import Security
from scidip.web.sessions import Activity, Touch

STATIC = Path(__file__).parent / "static"
CONCURRENCY = 16
"""Requests handled at once (the rest wait their turn), and database connections kept: fewer than
anyio's 40 worker threads, so that a request always finds a connection and a thread."""


def operation_id(route: APIRoute) -> str:
    """Readable OpenAPI operation ids: the route's name (list_parties, read_party...)."""
    return route.name


def create_app(
    settings: Settings,
    *,
    sessions: sessionmaker[Session] | None = None,
    secret: str | None = None,
) -> FastAPI:
    """The workbench on the database of ``settings``.

    ``sessions`` replaces the session factory (tests bind it to their connection); ``secret``
    the cookie-signing secret (default: :func:`session_secret`).
    """
    app = FastAPI(
        title="SciDip",
        version=__version__,
        description="The registry of an S&T diplomacy office: records, queries, exports.",
        generate_unique_id_function=operation_id,
        docs_url=None,  # served below from vendored assets, not a CDN
        redoc_url=None,
    )
    app.add_api_route("/docs", _api_docs, include_in_schema=False, response_class=HTMLResponse)
    idle = timedelta(minutes=settings.session_idle_minutes)
    if sessions is None:
        url = settings.resolved_database_url()
        engine = make_engine(url, pool_size=CONCURRENCY, max_overflow=0)
        sessions = make_sessionmaker(engine)
        reader = StampReader(url)
        app.state.stamps = reader
        # Outside the pool, like the stamp reader: a request holding a pooled connection never
        # waits for a second one to record its session's use.
        touching = make_engine(url, poolclass=NullPool)
        app.state.activity = Activity(_touch_with(make_sessionmaker(touching)), idle)
        app.router.add_event_handler("shutdown", engine.dispose)
        app.router.add_event_handler("shutdown", reader.close)
        app.router.add_event_handler("shutdown", touching.dispose)
    else:  # read where the given sessions read (tests: inside their transaction)
        app.state.stamps = lambda: _stamp_of(app.state.sessions)
        app.state.activity = Activity(_touch_with(lambda: app.state.sessions()), idle)
    app.state.settings = settings
    app.state.sessions = sessions
    app.state.secret = secret or session_secret(settings)
    app.state.templates = templates()
    app.state.read_cache = ReadCache() if settings.read_cache else ReadCache(max_entries=0)
    app.add_middleware(ConcurrencyLimit, limit=CONCURRENCY)
    app.add_middleware(KeptAnswers)  # outside the limit: a kept answer waits for no one
    app.add_middleware(  # outermost: headers on every answer, big bodies refused before all
        Security, max_body_bytes=settings.max_body_bytes, trust_proxy=settings.trust_proxy
    )
    errors.install(app)
    _document_errors(app)
    pages = (
        workbench,
        directory,
        registry,
        entities,
        analytics,
        calendar,
        writes,
        confirmed,
        edit,
        lists,
        auth,
        account,
    )
    for module in pages:
        app.include_router(module.router)
    app.include_router(api_router())
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _document_errors(app: FastAPI) -> None:
    """Every API operation's OpenAPI entry lists the errors it may answer (api/responses.py)."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(plain())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _touch_with(sessions: Callable[[], AbstractContextManager[Session]]) -> Touch:
    """Record a session's use in a transaction of its own, committed at once."""

    def touch(digest: str, idle: timedelta, now: datetime) -> bool:
        with sessions() as own:
            own.connection(execution_options={WRITE: True})
            alive = touch_session(own, digest, idle=idle, now=now)
            own.commit()
        return alive

    return touch


def _stamp_of(sessions: Callable[[], AbstractContextManager[Session]]) -> int:
    with sessions() as session:
        return read_stamp(session)


SWAGGER = "/static/vendor/swagger-ui-5.35.0"
"""Swagger UI, vendored from the npm package swagger-ui-dist (static/vendor/README.md)."""


DOCS_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>SciDip API</title>
<link rel="stylesheet" href="{SWAGGER}/swagger-ui.css">
<link rel="icon" href="{SWAGGER}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{SWAGGER}/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
"""
"""FastAPI's Swagger UI page, with its inline start-up script moved to a static file (the
Content-Security-Policy allows no inline script)."""


def _api_docs() -> HTMLResponse:
    """The API's interactive documentation, with nothing fetched from outside the server."""
    return HTMLResponse(DOCS_PAGE)


def app_from_environment() -> FastAPI:
    """The workbench configured from ``SCIDIP_*`` variables: the factory that server workers
    import (``uvicorn scidip.web.app:app_from_environment --factory``)."""
    return create_app(Settings())
