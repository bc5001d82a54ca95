"""The login and logout pages. The login form has its own CSRF token (double submit: a cookie
and a hidden field), since there is no session yet."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from scidip.auth.service import authenticate
from scidip.errors import PermissionDenied
from scidip.web import cookie
from scidip.web.deps import DbSession
from scidip.web.pages.context import CsrfRefused, PageUser, render

router = APIRouter(include_in_schema=False)

LOGIN_CSRF = "scidip_login_csrf"


def _safe_next(target: str | None) -> str:
    # Only paths of this site: never an absolute URL to elsewhere.
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def _cookie_args(request: Request) -> dict[str, object]:
    secure = request.url.scheme == "https"
    return {"httponly": True, "samesite": "lax", "secure": secure, "path": "/"}


@router.get("/login", response_class=HTMLResponse, name="login_page")
def login_page(request: Request, next: str = "/") -> Response:
    """The login form. Nothing of the query but ``next`` (a path of this site) is shown: a link
    cannot put its own words on the page (``?error=...`` is ignored)."""
    return _login_form(request, next, None)


def _login_form(request: Request, next: str, error: str | None) -> Response:
    """The login form, with ``error`` (a message of the server's own, never the request's)."""
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        None,
        login_csrf=token,
        next=_safe_next(next),
        error=error,
        status_code=401 if error else 200,
    )
    response.set_cookie(LOGIN_CSRF, token, max_age=3600, **_cookie_args(request))  # type: ignore[arg-type]
    return response


@router.post("/login", name="login")
def login(
    request: Request,
    db: DbSession,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password (throttled) and open a session."""
    expected = request.cookies.get(LOGIN_CSRF, "")
    if not expected or not secrets.compare_digest(expected, csrf_token):
        raise CsrfRefused()
    try:
        user = authenticate(db, username, password)
    except PermissionDenied as exc:
        return _login_form(request, next, str(exc))
    if user is None:
        return _login_form(request, next, "wrong username or password")
    response = RedirectResponse(_safe_next(next), status_code=303)
    value = cookie.encode(request.app.state.secret, cookie.new_session(user.id))
    response.set_cookie(cookie.COOKIE, value, max_age=cookie.MAX_AGE_S, **_cookie_args(request))  # type: ignore[arg-type]
    response.delete_cookie(LOGIN_CSRF, path="/")
    return response


@router.post("/logout", name="logout")
def logout(_page: PageUser) -> Response:
    """Close the session."""
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(cookie.COOKIE, path="/")
    return response
