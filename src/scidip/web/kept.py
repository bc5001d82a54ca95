"""Reads answered from the read cache (:mod:`scidip.web.cache`) until the next write.

Two sides, one key per answer (:func:`api_key`, :func:`~scidip.web.pages.context.page_key`):

* **keeping**: API routers whose GET answers depend only on the path and query, the data, and the
  reader's clearance and role (queries, lists, records, exports, reports, the audit log) use
  :class:`KeptReads` as their route class, which keeps each answer; read pages keep their title
  and body through :func:`~scidip.web.pages.context.render_read`. Routes that answer about the
  user asking (``/auth/me``) and forms must not.
* **answering**: :class:`KeptAnswers`, a middleware ahead of routing, sends a kept answer at
  once: the request costs reading the change stamp, who is asking (when kept) and, for a page,
  rendering the header of that user around the kept body. Anything else goes on to the routes.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.responses import StreamingResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from scidip.auth.service import Principal
from scidip.web import cookie
from scidip.web.deps import identify, kept_identity, read_cache
from scidip.web.pages.context import Page, kept_page, page_key

MAX_KEPT_BYTES = 4 * 1024 * 1024
"""Larger answers are sent but not kept."""

API = "/api/"
NEVER_KEPT = ("/static/", "/login", "/logout")
"""Paths whose answers are never kept: nothing to look up for them."""


def api_key(request: Request, who: Principal) -> tuple[Any, ...]:
    """What an API answer depends on besides the data: the path and query (as sent: the order
    of repeated parameters may matter), today (the default date), the clearance and role."""
    return ("api", request.url.path, request.url.query, who.clearance, who.role, date.today())


@dataclass(frozen=True)
class _Answer:
    status_code: int
    body: bytes
    headers: tuple[tuple[bytes, bytes], ...]

    def response(self) -> Response:
        response = Response(self.body, self.status_code)
        response.raw_headers = list(self.headers)
        return response


def _keepable(answer: _Answer | Response) -> bool:
    return isinstance(answer, _Answer) and answer.status_code == 200


class KeptReads(APIRoute):
    """A route whose GET answers are kept per :func:`api_key` (two requests missing at once run
    the route once)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.methods != {"GET"}:
            return handler

        async def kept(request: Request) -> Response:
            who = identify(request)
            if who is None or who.must_change_password:  # let the route answer 401 or 403
                return await handler(request)

            async def answer() -> _Answer | Response:
                response = await handler(request)
                body = getattr(response, "body", None)
                if (
                    isinstance(response, StreamingResponse)
                    or not isinstance(body, bytes)
                    or len(body) > MAX_KEPT_BYTES
                    or response.background is not None
                ):
                    return response
                return _Answer(response.status_code, body, tuple(response.raw_headers))

            key = api_key(request, who)
            found = await read_cache(request).aget(request.state.stamp, key, answer, _keepable)
            return found.response() if isinstance(found, _Answer) else found

        return kept


class KeptAnswers:
    """ASGI middleware sending the kept answer of a GET request, if there is one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"].startswith(NEVER_KEPT)
        ):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        api = scope["path"].startswith(API)
        who = kept_identity(request, bearer=api)
        if who is not None and not who.must_change_password:
            key = api_key(request, who) if api else page_key(request, who)
            found, answer = read_cache(request).peek(request.state.stamp, key)
            if found and api:
                await _send(send, answer.status_code, answer.headers, answer.body)
                return
            session = cookie.decode(request.app.state.secret, request.cookies.get(cookie.COOKIE))
            if found and session is not None:
                html = kept_page(request, Page(who, session.csrf), answer).encode()
                await _send(send, 200, ((b"content-type", b"text/html; charset=utf-8"),), html)
                return
        await self.app(scope, receive, send)


async def _send(
    send: Send, status: int, headers: tuple[tuple[bytes, bytes], ...], body: bytes
) -> None:
    # The kept headers already hold content-length (an API answer); a page's is added here.
    if not any(name == b"content-length" for name, _ in headers):
        headers = (*headers, (b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": list(headers)})
    await send({"type": "http.response.body", "body": body})
