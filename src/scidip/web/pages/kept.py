"""Read pages answered from the read cache (:mod:`scidip.web.cache`) without running the route.

A page rendered by :func:`~scidip.web.pages.context.render_read` keeps its title and body under
:func:`~scidip.web.pages.context.page_key`. :class:`KeptPages`, the route class of the page
routers, looks there first: when the body is kept (and the session valid), the page is the kept
body in the header of the user asking, and the route itself is not run. Otherwise the route runs
as usual (and keeps the body for the next request).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from scidip.web.auth import cookie
from scidip.web.deps import identify, read_cache
from scidip.web.pages.context import Page, page_key, render_kept


class KeptPages(APIRoute):
    """A page route whose GET answers may come straight from the read cache."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.methods != {"GET"}:
            return handler

        async def kept(request: Request) -> Response:
            session = cookie.decode(request.app.state.secret, request.cookies.get(cookie.COOKIE))
            who = identify(request, bearer=False) if session is not None else None
            if session is None or who is None:
                return await handler(request)  # to the login page
            found, blocks = read_cache(request).peek(request.state.stamp, page_key(request, who))
            if not found:
                return await handler(request)
            return render_kept(request, Page(who, session.csrf), blocks)

        return kept
