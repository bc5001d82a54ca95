"""Back-pressure: at most a fixed number of requests are handled at once; the others wait in the
event loop, where waiting costs nothing.

Without it, more concurrent requests than database connections deadlock for the pool's timeout:
each request holds a session (and its connection) across several worker-thread hops, and the
hop that would close it waits for a thread that requests blocked on the pool are holding.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send


class ConcurrencyLimit:
    """ASGI middleware admitting ``limit`` HTTP requests at a time."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._gate: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._gate is None:  # made in the server's event loop, on the first request
            self._gate = asyncio.Semaphore(self.limit)
        async with self._gate:
            await self.app(scope, receive, send)
