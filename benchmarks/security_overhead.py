"""What the security middleware (``scidip.web.security.Security``) costs a request: the same
small ASGI answer (the size of a kept API answer, 2 KB) called in process, bare and wrapped,
alternating in rounds; prints the median microseconds per request of each and their ratio.

Not a test: it asserts no time. No server, no network: only the middleware's own work (headers,
the body-size check, the refusal log's status check) is measured.

    .venv/bin/python benchmarks/security_overhead.py --requests 20000 --rounds 7
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from starlette.types import Message, Receive, Scope, Send

from scidip.web.security import Security

BODY = b"x" * 2048


async def answer(_scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"2048")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": BODY})


SCOPE: Scope = {
    "type": "http",
    "method": "GET",
    "path": "/api/v1/parties",
    "scheme": "http",
    "client": ("127.0.0.1", 50000),
    "headers": [(b"host", b"127.0.0.1"), (b"authorization", b"Bearer scidip_x")],
}


async def run(app: object, requests: int) -> float:
    """Microseconds per request over ``requests`` calls."""

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_message: Message) -> None:
        return None

    start = time.perf_counter()
    for _ in range(requests):
        await app(dict(SCOPE), receive, send)  # type: ignore[operator]
    return (time.perf_counter() - start) / requests * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000, help="per round and case")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    wrapped = Security(answer, max_body_bytes=1024 * 1024, trust_proxy=False)
    cases = {"baseline: bare ASGI answer": answer, "wrapped in Security": wrapped}
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.rounds):
        for name, app in cases.items():
            times[name].append(asyncio.run(run(app, args.requests)))
    base = statistics.median(times["baseline: bare ASGI answer"])
    print(f"{'case':<28} {'median µs/request':>18} {'ratio':>7}")
    for name, found in times.items():
        median = statistics.median(found)
        print(f"{name:<28} {median:>18.2f} {median / base:>7.2f}")


if __name__ == "__main__":
    main()
