"""No route or dependency that runs on the event loop touches the database: FastAPI runs plain
functions in worker threads, so every function that takes the request's session is a plain one
(a synchronous query on the event loop would stall every other request)."""

from __future__ import annotations

import inspect
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from scidip.web.deps import get_db


def _async_users_of_the_session(dependant: Any, found: list[str]) -> None:
    call = dependant.call
    takes_session = any(d.call is get_db for d in dependant.dependencies)
    if call is not None and inspect.iscoroutinefunction(call) and takes_session:
        found.append(f"{call.__module__}.{call.__qualname__}")
    for sub in dependant.dependencies:
        _async_users_of_the_session(sub, found)


def _routes(routes: list[Any]) -> list[APIRoute]:
    """Every API route, those of included routers too."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):  # a router included in another
            found += _routes(route.original_router.routes)
    return found


def test_nothing_on_the_event_loop_takes_a_session(app: FastAPI) -> None:
    found: list[str] = []
    routes = _routes(app.routes)
    for route in routes:
        _async_users_of_the_session(route.dependant, found)
    assert len(routes) > 100
    assert sorted(set(found)) == []
