"""One exception handler: domain errors to HTTP statuses — JSON (``detail``) for the API, a page
for the pages; a page without a session goes to the login page.

The API's errors have two shapes, each documented in the OpenAPI schema (:mod:`.api.responses`):
a 422 is always FastAPI's validation shape, ``{"detail": [{"loc": [...], "msg": "...", "type":
"..."}]}``, whether the request broke the schema or a rule of the registry (a missing reference,
a date out of order); every other error is ``{"detail": "<message>"}``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, OperationalError

from scidip.auth.service import Throttled
from scidip.errors import Conflict, InvalidData, NotFound, PermissionDenied, SciDipError
from scidip.web.pages.context import (
    CsrfRefused,
    LoginRequired,
    PasswordChangeRequired,
    render,
)

STATUS: tuple[tuple[type[SciDipError], int], ...] = (
    (Throttled, 429),
    (NotFound, 404),
    (Conflict, 409),
    (InvalidData, 422),
    (PermissionDenied, 403),
)
"""Status by error, most specific first."""

TITLES = {
    404: "Not found",
    409: "Conflict",
    422: "Invalid",
    403: "Not allowed",
    429: "Wait",
    503: "Busy",
}


def status_of(exc: SciDipError) -> int:
    """The HTTP status of a domain error (400 for one not listed)."""
    return next((code for kind, code in STATUS if isinstance(exc, kind)), 400)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


_FIELD = re.compile(r"(?P<field>[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*): ")


def invalid(message: str, kind: str = "invalid_data") -> list[dict[str, Any]]:
    """A 422's ``detail``: one problem, located at the field its message starts with
    (``"person: no person with key 'x'"`` is at ``["body", "person"]``), else at the body."""
    found = _FIELD.match(message)
    loc = ["body", *found["field"].split(".")] if found else ["body"]
    return [{"loc": loc, "msg": message, "type": kind}]


async def _domain(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SciDipError)
    status = status_of(exc)
    if _is_api(request):
        detail: Any = invalid(str(exc)) if status == 422 else str(exc)
        return JSONResponse({"detail": detail}, status_code=status)
    return _page(request, status, str(exc))


async def _refused_by_database(request: Request, exc: Exception) -> Response:
    # A value the database cannot hold (PostgreSQL: a NUL character, text longer than its
    # column, an integer out of range) that no schema caught: the request's fault, not a 500.
    assert isinstance(exc, DataError)
    reason = str(getattr(exc, "orig", exc)).splitlines()[0]
    message = f"a value could not be stored or searched: {reason}"
    if _is_api(request):
        return JSONResponse({"detail": invalid(message, "refused_by_database")}, status_code=422)
    return _page(request, 422, message)


BUSY_RETRY_S = 1


async def _busy(request: Request, exc: Exception) -> Response:
    # SQLite's one writer at a time: a write that waited the whole busy timeout for the lock
    # (a burst of logins, each holding it while the password is checked) is told to come back,
    # with 503 and Retry-After, rather than a 500. Any other operational error stays a 500.
    assert isinstance(exc, OperationalError)
    if "database is locked" not in str(getattr(exc, "orig", exc)):
        raise exc
    message = "the database is busy with other writes: try again in a moment"
    headers = {"Retry-After": str(BUSY_RETRY_S)}
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=503, headers=headers)
    response = _page(request, 503, message)
    response.headers.update(headers)
    return response


def _page(request: Request, status: int, message: str) -> Response:
    return render(
        request,
        "error.html",
        None,
        status_code=status,
        status=status,
        title=TITLES.get(status, "Error"),
        message=message,
    )


async def _login(request: Request, _exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


async def _change_password(_request: Request, _exc: Exception) -> Response:
    return RedirectResponse("/account#password", status_code=303)


async def _csrf(request: Request, _exc: Exception) -> Response:
    return render(
        request,
        "error.html",
        None,
        status_code=403,
        status=403,
        title="Not allowed",
        message="The form came without this session's CSRF token: reload the page, try again.",
    )


def install(app: FastAPI) -> None:
    """Map every domain error raised by a route to its status."""
    app.add_exception_handler(SciDipError, _domain)
    app.add_exception_handler(DataError, _refused_by_database)
    app.add_exception_handler(OperationalError, _busy)
    app.add_exception_handler(LoginRequired, _login)
    app.add_exception_handler(CsrfRefused, _csrf)
    app.add_exception_handler(PasswordChangeRequired, _change_password)
