"""Errors the database raises that are not the request's fault: a write that waited out
SQLite's busy timeout is a 503 with Retry-After (come back), any other stays a 500."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from scidip.web.errors import install


def _raising(message: str) -> FastAPI:
    app = FastAPI()
    install(app)

    @app.post("/api/v1/write")
    def write() -> None:
        raise OperationalError("BEGIN IMMEDIATE", {}, Exception(message))

    return app


def test_a_write_that_waited_out_the_lock_is_told_to_come_back() -> None:
    response = TestClient(_raising("database is locked")).post("/api/v1/write")
    assert (response.status_code, response.headers["retry-after"], response.json()) == (
        503,
        "1",
        {"detail": "the database is busy with other writes: try again in a moment"},
    )


def test_other_operational_errors_stay_500() -> None:
    client = TestClient(_raising("no such table: x"), raise_server_exceptions=False)
    assert client.post("/api/v1/write").status_code == 500
