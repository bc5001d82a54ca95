"""API reads answered from the read cache (:mod:`scidip.web.cache`) until the next write.

Routers whose GET answers depend only on the path and query, the data, and the reader's
clearance and role (queries, lists, records, exports, reports, the audit log) use
:class:`KeptReads` as their route class. A kept answer is sent without running the route at
all: the request costs reading the change stamp and who is asking. Routes that answer about the
user asking (``/auth/me``) must not use it.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.responses import StreamingResponse

from scidip.web.deps import identify, read_cache

MAX_KEPT_BYTES = 4 * 1024 * 1024
"""Larger answers are sent but not kept."""


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
    """A route whose GET answers are kept per path, query, day, clearance and role."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.methods != {"GET"}:
            return handler

        async def kept(request: Request) -> Response:
            who = identify(request)
            if who is None:  # let the route answer 401
                return await handler(request)
            key = (
                "api",
                request.url.path,
                request.url.query,  # as sent: the order of repeated parameters may matter
                who.clearance,
                who.role,
                date.today(),
            )

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

            found = await read_cache(request).aget(request.state.stamp, key, answer, _keepable)
            return found.response() if isinstance(found, _Answer) else found

        return kept
