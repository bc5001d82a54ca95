"""Answers of reads, kept between requests until the next write.

Every answer is kept under the change stamp (:mod:`scidip.db.stamp`) that its request read before
computing it, and under a key that names everything the answer depends on besides the data: the
path and query, and the reader's clearance and role (never the user: no answer kept here may
hold anything of one user's own, such as a CSRF token). When a request reads a newer stamp, every
answer kept under an older one is dropped; a request that read an older stamp than the cache's
computes its answer afresh and keeps nothing.

Two requests that miss on the same key at the same time compute it once: the second waits for
the first (in threads: a lock per key; in the event loop: a future per key).
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

MAX_ENTRIES = 512
"""Answers kept at most (the least recently used go first)."""


class ReadCache:
    """A bounded, thread-safe map of (stamp, key) to answers, for one server process."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        """``max_entries=0``: a cache that is off: every call computes its own answer, with no
        waiting on another request's (what ``SCIDIP_READ_CACHE=0`` measures)."""
        self.max_entries = max_entries
        self.stamp = -1
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._pending: dict[Hashable, asyncio.Future[Any]] = {}

    def _lookup(self, stamp: int, key: Hashable) -> tuple[bool, Any]:
        """(found, answer); under the lock. A newer stamp empties the cache first."""
        if stamp > self.stamp:
            self._entries.clear()
            self.stamp = stamp
        if stamp == self.stamp and key in self._entries:
            self._entries.move_to_end(key)
            self.hits += 1
            return True, self._entries[key]
        self.misses += 1
        return False, None

    def _keep(self, stamp: int, key: Hashable, answer: Any) -> None:
        with self._lock:
            if stamp != self.stamp:  # a write came in meanwhile: the answer may be out of date
                return
            self._entries[key] = answer
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def peek(self, stamp: int, key: Hashable) -> tuple[bool, Any]:
        """(True, answer) if an answer is kept for ``key`` at ``stamp``, else (False, None)."""
        if self.max_entries == 0:
            return False, None
        with self._lock:
            return self._lookup(stamp, key)

    def get(
        self,
        stamp: int,
        key: Hashable,
        compute: Callable[[], T],
        keep: Callable[[T], bool] = lambda _: True,
    ) -> T:
        """The answer kept for ``key`` at ``stamp``, else ``compute()`` (once for concurrent
        callers in threads), kept if ``keep(answer)``."""
        if self.max_entries == 0:
            return compute()
        with self._lock:
            found, answer = self._lookup(stamp, key)
            if found:
                return answer  # type: ignore[no-any-return]
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if stamp == self.stamp and key in self._entries:
                    return self._entries[key]  # type: ignore[no-any-return]
            try:
                answer = compute()
                if keep(answer):
                    self._keep(stamp, key, answer)
                return answer
            finally:
                with self._lock:
                    if self._computing.get(key) is gate:
                        del self._computing[key]

    async def aget(
        self,
        stamp: int,
        key: Hashable,
        compute: Callable[[], Awaitable[T]],
        keep: Callable[[T], bool] = lambda _: True,
    ) -> T:
        """:meth:`get` for the event loop: concurrent callers await one ``compute()``."""
        if self.max_entries == 0:
            return await compute()
        with self._lock:
            found, answer = self._lookup(stamp, key)
        if found:
            return answer  # type: ignore[no-any-return]
        pending = self._pending.get((stamp, key))
        if pending is not None:
            try:
                shared = await asyncio.shield(pending)
                # Only an answer fit to keep is shared: one that is not (an error page, one
                # request's own) is computed again for this request, never handed over.
                if keep(shared):
                    return shared  # type: ignore[no-any-return]
            except asyncio.CancelledError:
                if not pending.cancelled():
                    raise  # this request was cancelled
                # The request computing it was cancelled (its client left): compute it here.
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        # Only the event loop's thread touches _pending.
        self._pending.setdefault((stamp, key), future)
        try:
            answer = await compute()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody waited
            raise
        else:
            future.set_result(answer)
            if keep(answer):
                self._keep(stamp, key, answer)
            return answer
        finally:
            if self._pending.get((stamp, key)) is future:
                del self._pending[(stamp, key)]
