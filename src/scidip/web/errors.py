"""One exception handler: domain errors to HTTP statuses — JSON (``detail``) for the API, a page
for the pages; a page without a session goes to the login page."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from scidip.auth.service import Throttled
from scidip.errors import Conflict, InvalidData, NotFound, PermissionDenied, SciDipError
from scidip.web.pages.context import CsrfRefused, LoginRequired, render

STATUS: tuple[tuple[type[SciDipError], int], ...] = (
    (Throttled, 429),
    (NotFound, 404),
    (Conflict, 409),
    (InvalidData, 422),
    (PermissionDenied, 403),
)
"""Status by error, most specific first."""

TITLES = {404: "Not found", 409: "Conflict", 422: "Invalid", 403: "Not allowed", 429: "Wait"}


def status_of(exc: SciDipError) -> int:
    """The HTTP status of a domain error (400 for one not listed)."""
    return next((code for kind, code in STATUS if isinstance(exc, kind)), 400)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _domain(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SciDipError)
    status = status_of(exc)
    if _is_api(request):
        return JSONResponse({"detail": str(exc)}, status_code=status)
    return render(
        request,
        "error.html",
        None,
        status_code=status,
        status=status,
        title=TITLES.get(status, "Error"),
        message=str(exc),
    )


async def _login(request: Request, _exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


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
    app.add_exception_handler(LoginRequired, _login)
    app.add_exception_handler(CsrfRefused, _csrf)
