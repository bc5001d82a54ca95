"""The read cache: answers kept per stamp and key, dropped by a newer stamp, computed once by
concurrent callers, never kept for an older stamp, an error or an answer refused by ``keep``."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from scidip.web.cache import ReadCache


def test_an_answer_is_kept_until_a_newer_stamp() -> None:
    cache, calls = ReadCache(), []

    def compute(value: str) -> Any:
        return lambda: calls.append(value) or value

    assert cache.get(1, "k", compute("first")) == "first"
    assert cache.get(1, "k", compute("again")) == "first"
    assert cache.get(2, "k", compute("second")) == "second"
    assert cache.peek(2, "k") == (True, "second")
    assert calls == ["first", "second"]
    assert (cache.hits, cache.misses) == (2, 2)


def test_a_reader_with_an_older_stamp_computes_and_keeps_nothing() -> None:
    cache = ReadCache()
    cache.get(5, "k", lambda: "at five")
    assert cache.get(4, "k", lambda: "at four") == "at four"
    assert cache.get(4, "other", lambda: "at four") == "at four"
    assert cache.peek(5, "k") == (True, "at five")
    assert cache.peek(5, "other") == (False, None)


def test_errors_and_refused_answers_are_not_kept() -> None:
    cache = ReadCache()

    def fail() -> str:
        raise LookupError("no such record")

    with pytest.raises(LookupError):
        cache.get(1, "k", fail)
    assert cache.get(1, "k", lambda: "not found", keep=lambda a: a != "not found") == "not found"
    assert cache.peek(1, "k") == (False, None)


def test_the_least_recently_used_answer_goes_first() -> None:
    cache = ReadCache(max_entries=2)
    cache.get(1, "a", lambda: "A")
    cache.get(1, "b", lambda: "B")
    cache.get(1, "a", lambda: "unused")  # "a" used again: "b" is now the oldest
    cache.get(1, "c", lambda: "C")
    assert [cache.peek(1, k)[0] for k in "abc"] == [True, False, True]


def test_concurrent_threads_compute_a_key_once() -> None:
    cache, calls = ReadCache(), []
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        calls.append(1)
        started.set()
        release.wait(5)
        return "answer"

    answers: list[str] = []
    first = threading.Thread(target=lambda: answers.append(cache.get(1, "k", slow)))
    first.start()
    started.wait(5)
    second = threading.Thread(target=lambda: answers.append(cache.get(1, "k", slow)))
    second.start()
    release.set()
    first.join(5)
    second.join(5)
    assert (answers, calls) == (["answer", "answer"], [1])


def test_concurrent_tasks_await_one_computation() -> None:
    cache, calls = ReadCache(), []

    async def compute() -> str:
        calls.append(1)
        await asyncio.sleep(0.01)
        return "answer"

    async def main() -> list[str]:
        return list(await asyncio.gather(*(cache.aget(1, "k", compute) for _ in range(5))))

    assert asyncio.run(main()) == ["answer"] * 5
    assert calls == [1]


def test_tasks_waiting_on_a_failed_computation_get_its_error_and_nothing_is_kept() -> None:
    cache = ReadCache()

    async def fail() -> str:
        await asyncio.sleep(0.01)
        raise LookupError("gone")

    async def main() -> list[Any]:
        return list(
            await asyncio.gather(
                *(cache.aget(1, "k", fail) for _ in range(3)), return_exceptions=True
            )
        )

    errors = asyncio.run(main())
    assert [type(e) for e in errors] == [LookupError] * 3
    assert cache.peek(1, "k") == (False, None)


def test_an_answer_not_fit_to_keep_is_never_handed_to_another_request() -> None:
    cache, calls = ReadCache(), []

    async def compute() -> dict[str, int]:
        calls.append(1)
        await asyncio.sleep(0.01)
        return {"request": len(calls)}

    async def main() -> list[dict[str, int]]:
        tasks = (cache.aget(1, "k", compute, keep=lambda _: False) for _ in range(3))
        return list(await asyncio.gather(*tasks))

    answers = asyncio.run(main())
    assert len(calls) == 3
    assert len({id(a) for a in answers}) == 3
    assert cache.peek(1, "k") == (False, None)


def test_a_cache_that_is_off_keeps_nothing_and_makes_no_one_wait() -> None:
    cache, calls = ReadCache(max_entries=0), []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert [cache.get(1, "k", compute) for _ in range(3)] == [1, 2, 3]
    assert cache.peek(1, "k") == (False, None)
    assert cache._computing == {}  # no gate: concurrent callers compute side by side
