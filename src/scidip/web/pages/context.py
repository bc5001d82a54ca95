"""What every page needs: the logged-in user (or a redirect to the login page), the CSRF check
of forms, the as-of date, and rendering with the shared template context."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.datastructures import FormData

from scidip.auth.service import Principal
from scidip.errors import InvalidData
from scidip.links import link_url
from scidip.registry.agreement.models import ActionKind
from scidip.registry.party.codes import is_state_code, state_name
from scidip.registry.read import TEMPORAL
from scidip.web import cookie
from scidip.web.deps import SAFE_METHODS, DbSession, identify, iso_day, read_cache
from scidip.web.pages.listview import record_href

TEMPLATES = Path(__file__).parents[1] / "templates"


class LoginRequired(Exception):
    """No valid session: the page handler redirects to the login page."""


class CsrfRefused(Exception):
    """A form came without the session's CSRF token."""


class PasswordChangeRequired(Exception):
    """The user must change their password before anything else: the handler redirects to the
    account page's form."""


PASSWORD_CHANGE_PAGES = frozenset({"/account", "/account/password", "/logout"})
"""What a user who must change their password may still open."""


@dataclass(frozen=True)
class Page:
    """The user asking for a page and their session's CSRF token."""

    who: Principal
    csrf: str


async def request_form(request: Request) -> FormData:
    """The submitted form, read on the event loop (the handler that uses it need not be)."""
    return await request.form()


Form = Annotated[FormData, Depends(request_form)]


async def _submitted_csrf(request: Request) -> str | None:
    if request.method in SAFE_METHODS:
        return None
    submitted = request.headers.get(cookie.CSRF_HEADER)
    if submitted is None:
        submitted = str((await request.form()).get(cookie.CSRF_FIELD) or "")
    return submitted


def page_user(
    request: Request,
    db: DbSession,
    submitted: Annotated[str | None, Depends(_submitted_csrf)],
) -> Page:
    """The user of the session cookie; unsafe requests must carry the session's CSRF token in
    the form field ``csrf_token`` or the ``X-CSRF-Token`` header. A plain function: FastAPI runs
    it, and its database read, in a worker thread, never on the event loop."""
    page = cookie.decode(request.app.state.secret, request.cookies.get(cookie.COOKIE))
    who = identify(request, db, bearer=False) if page is not None else None
    if page is None or who is None:
        raise LoginRequired()
    if submitted is not None and not cookie.csrf_ok(page, submitted):
        raise CsrfRefused()
    if who.must_change_password and request.url.path not in PASSWORD_CHANGE_PAGES:
        raise PasswordChangeRequired()
    return Page(who, page.csrf)


PageUser = Annotated[Page, Depends(page_user)]


def page_as_of(request: Request) -> date:
    """The as-of date of a page: ``?as_of=YYYY-MM-DD`` (0001-01-01 to 9999-12-31), or today when
    there is none; anything else is refused (:class:`InvalidData`: a 422 page that says why),
    never read as today."""
    text = request.query_params.get("as_of", "")
    if not text:
        return date.today()
    try:
        return iso_day(text)
    except ValueError:
        raise InvalidData(
            f"as_of: {text!r} is not a day; write it YYYY-MM-DD, e.g. 2022-12-31"
        ) from None


def _shown_as_of(request: Request) -> date:
    """The as-of date the header's links carry: today where the query's cannot be read (the
    page that says so is rendered with it)."""
    try:
        return page_as_of(request)
    except InvalidData:
        return date.today()


async def _as_of_dependency(request: Request) -> date:
    return page_as_of(request)


AsOfPage = Annotated[date, Depends(_as_of_dependency)]


def templates() -> Jinja2Templates:
    """The templates (autoescaped HTML); ``tojson`` keeps non-ASCII text (Japanese names) as is."""
    jinja = Jinja2Templates(directory=str(TEMPLATES))
    jinja.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    jinja.env.filters["when"] = when
    jinja.env.globals["temporal"] = tuple(TEMPORAL)  # concepts whose records can be ended
    jinja.env.globals["action_kinds"] = tuple(k.value for k in ActionKind)
    jinja.env.filters["link_url"] = link_url  # only http(s) and mailto URLs become links
    jinja.env.filters["state_name"] = lambda code: state_name(code) if is_state_code(code) else code
    jinja.env.filters["json_text"] = json_text
    jinja.env.globals["record_href"] = record_href
    return jinja


def json_text(value: object) -> str:
    """A value as JSON text to read on a page (autoescaped like any text): apostrophes and
    non-ASCII letters as written, not as ``\\u0027`` escapes."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def when(value: object) -> str:
    """A date as the pages show it: as stored (``2022``, ``2022-06``, ``2022-06-15``), with a
    date known only as "no later than" in words (``..2022`` → ``no later than 2022``,
    ``2001..2022`` → ``not before 2001, no later than 2022``); nothing for None."""
    if value is None:
        return ""
    text = str(value)
    lower, bound, upper = text.partition("..")
    if bound and lower:
        return f"not before {lower}, no later than {upper}"
    return f"no later than {upper}" if bound else text


def render(
    request: Request, name: str, page: Page | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render template ``name`` with the user, the CSRF token and the as-of date."""
    jinja: Jinja2Templates = request.app.state.templates
    base = _base(request, page.who if page else None, page.csrf if page else "")
    return jinja.TemplateResponse(request, name, {**base, **context}, status_code=status_code)


def _base(request: Request, who: Principal | None, csrf: str) -> dict[str, Any]:
    """What every page's template is given: the user, the CSRF token, the as-of date, the path."""
    return {"who": who, "csrf": csrf, "as_of": _shown_as_of(request), "path": request.url.path}


def page_key(request: Request, who: Principal) -> tuple[Any, ...]:
    """What a read page's body depends on besides the data: its path and query, the as-of date
    and today (the default), and the reader's clearance and role."""
    return (
        "page",
        request.url.path,
        request.url.query,  # as sent: the order of repeated parameters may matter
        who.clearance,
        who.role,
        _shown_as_of(request),  # a bad as_of is refused by the page (the query is in the key)
        date.today(),
    )


def render_read(
    request: Request, name: str, page: Page, compute: Callable[[], dict[str, Any]]
) -> HTMLResponse:
    """Render a read-only page, keeping its title and body in the read cache until the next write.

    ``compute`` gathers the template's context; it runs only when the cache has no body for
    :func:`page_key`. The blocks are rendered without anything of the user's own (no name, no
    CSRF token: a form in a kept block would be refused); the header around them, which has
    both, is rendered for every request (:func:`kept_page`).
    """

    page_as_of(request)  # a page's links carry its as_of: one that cannot be read is refused

    def blocks() -> tuple[Markup, Markup]:
        jinja: Jinja2Templates = request.app.state.templates
        template = jinja.get_template(name)
        anyone = Principal("", page.who.role, page.who.clearance)
        ctx = template.new_context({**_base(request, anyone, ""), **compute()})
        return (
            Markup("".join(template.blocks["title"](ctx))),
            Markup("".join(template.blocks["main"](ctx))),
        )

    kept = read_cache(request).get(request.state.stamp, page_key(request, page.who), blocks)
    return HTMLResponse(kept_page(request, page, kept))


def kept_page(request: Request, page: Page, blocks: tuple[Markup, Markup]) -> str:
    """The HTML of a page from its kept title and body, in the header of the user asking."""
    jinja: Jinja2Templates = request.app.state.templates
    title, main = blocks
    return jinja.get_template("kept.html").render(
        **_base(request, page.who, page.csrf), kept_title=title, kept_main=main
    )
