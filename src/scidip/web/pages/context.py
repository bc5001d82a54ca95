"""What every page needs: the logged-in user (or a redirect to the login page), the CSRF check
of forms, the as-of date, and rendering with the shared template context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from scidip.web.auth import cookie
from scidip.web.auth.models import User
from scidip.web.auth.service import Principal, principal
from scidip.web.deps import SAFE_METHODS, DbSession

TEMPLATES = Path(__file__).parents[1] / "templates"


class LoginRequired(Exception):
    """No valid session: the page handler redirects to the login page."""


class CsrfRefused(Exception):
    """A form came without the session's CSRF token."""


@dataclass(frozen=True)
class Page:
    """The user asking for a page and their session's CSRF token."""

    who: Principal
    csrf: str


async def page_user(request: Request, db: DbSession) -> Page:
    """The user of the session cookie; unsafe requests must carry the session's CSRF token in
    the form field ``csrf_token`` or the ``X-CSRF-Token`` header."""
    page = cookie.decode(request.app.state.secret, request.cookies.get(cookie.COOKIE))
    user = db.get(User, page.user_id) if page is not None else None
    if page is None or user is None or user.disabled:
        raise LoginRequired()
    if request.method not in SAFE_METHODS:
        submitted = request.headers.get(cookie.CSRF_HEADER)
        if submitted is None:
            submitted = str((await request.form()).get(cookie.CSRF_FIELD) or "")
        if not cookie.csrf_ok(page, submitted):
            raise CsrfRefused()
    request.state.user = user
    return Page(principal(user), page.csrf)


PageUser = Annotated[Page, Depends(page_user)]


def page_as_of(request: Request) -> date:
    """The as-of date of a page: ``?as_of=YYYY-MM-DD``, or today (also when malformed)."""
    try:
        return date.fromisoformat(request.query_params.get("as_of", ""))
    except ValueError:
        return date.today()


AsOfPage = Annotated[date, Depends(page_as_of)]


def templates() -> Jinja2Templates:
    """The templates (autoescaped HTML); ``tojson`` keeps non-ASCII text (Japanese names) as is."""
    jinja = Jinja2Templates(directory=str(TEMPLATES))
    jinja.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return jinja


def render(
    request: Request, name: str, page: Page | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render template ``name`` with the user, the CSRF token and the as-of date."""
    jinja: Jinja2Templates = request.app.state.templates
    base = {
        "who": page.who if page else None,
        "csrf": page.csrf if page else "",
        "as_of": page_as_of(request),
        "path": request.url.path,
    }
    return jinja.TemplateResponse(request, name, {**base, **context}, status_code=status_code)
