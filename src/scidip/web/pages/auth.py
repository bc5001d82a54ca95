"""The login and logout pages, and the account page (password, sessions, API tokens). The login
form has its own CSRF token (double submit: a cookie and a hidden field), since there is no
session yet."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from scidip.auth.service import Throttled, authenticate
from scidip.web import cookie
from scidip.web.deps import DbSession
from scidip.web.pages.context import CsrfRefused, PageUser, render
from scidip.web.security import source_address
from scidip.web.sessions import activity, end_current_session, open_page_session

router = APIRouter(include_in_schema=False)

LOGIN_CSRF = "scidip_login_csrf"
WRONG = "wrong username or password"


def _safe_next(target: str | None) -> str:
    # Only paths of this site: never an absolute URL to elsewhere.
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def cookie_args(request: Request) -> dict[str, object]:
    """HttpOnly, SameSite=Lax, whole site; Secure when the request came over HTTPS (directly,
    or through a proxy the settings trust: :mod:`scidip.web.security`)."""
    secure = request.url.scheme == "https"
    return {"httponly": True, "samesite": "lax", "secure": secure, "path": "/"}


def _form(request: Request, next: str, error: str | None = None, retry_after: int = 0) -> Response:
    token = secrets.token_urlsafe(24)
    status = 429 if retry_after else 401 if error else 200
    response = render(
        request,
        "login.html",
        None,
        login_csrf=token,
        next=_safe_next(next),
        error=error,
        status_code=status,
    )
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    response.set_cookie(LOGIN_CSRF, token, max_age=3600, **cookie_args(request))  # type: ignore[arg-type]
    return response


@router.get("/login", response_class=HTMLResponse, name="login_page")
def login_page(request: Request, next: str = "/") -> Response:
    """The login form."""
    return _form(request, next)


@router.post("/login", name="login")
def login(
    request: Request,
    db: DbSession,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password (throttled) and open a server-side session."""
    expected = request.cookies.get(LOGIN_CSRF, "")
    if not expected or not secrets.compare_digest(expected, csrf_token):
        raise CsrfRefused()
    secret = request.app.state.secret
    device = cookie.device_for(secret, request.cookies.get(cookie.DEVICE), username)
    address = source_address(request.scope)
    try:
        user = authenticate(db, username, password, address=address, device=device)
    except Throttled as exc:  # answered, not raised: the attempt's record is committed
        return _form(request, next, str(exc), retry_after=exc.retry_after)
    if user is None:
        return _form(request, next, WRONG)
    agent = request.headers.get("user-agent", "")
    idle = activity(request).idle
    value, _page = open_page_session(db, secret, user, address=address, agent=agent, idle=idle)
    target = "/account#password" if user.must_change_password else _safe_next(next)
    response = RedirectResponse(target, status_code=303)
    args = cookie_args(request)
    response.set_cookie(cookie.COOKIE, value, max_age=cookie.MAX_AGE_S, **args)  # type: ignore[arg-type]
    remembered = cookie.encode_device(secret, user.username, device)
    response.set_cookie(cookie.DEVICE, remembered, max_age=cookie.DEVICE_MAX_AGE_S, **args)  # type: ignore[arg-type]
    response.delete_cookie(LOGIN_CSRF, path="/")
    return response


@router.post("/logout", name="logout")
def logout(request: Request, db: DbSession, _page: PageUser) -> Response:
    """End the session (on the server: the cookie stops working even if kept)."""
    end_current_session(request, db)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(cookie.COOKIE, path="/")
    return response
