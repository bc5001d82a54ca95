"""One exception handler: domain errors to HTTP statuses, with the message as ``detail``."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from scidip.errors import Conflict, InvalidData, NotFound, PermissionDenied, SciDipError
from scidip.web.auth.service import Throttled

STATUS: tuple[tuple[type[SciDipError], int], ...] = (
    (Throttled, 429),
    (NotFound, 404),
    (Conflict, 409),
    (InvalidData, 422),
    (PermissionDenied, 403),
)
"""Status by error, most specific first."""


def status_of(exc: SciDipError) -> int:
    """The HTTP status of a domain error (400 for one not listed)."""
    return next((code for kind, code in STATUS if isinstance(exc, kind)), 400)


async def _handle(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SciDipError)
    return JSONResponse({"detail": str(exc)}, status_code=status_of(exc))


def install(app: FastAPI) -> None:
    """Map every domain error raised by a route to its status."""
    app.add_exception_handler(SciDipError, _handle)
