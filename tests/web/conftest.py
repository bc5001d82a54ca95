"""Fixtures of the web tests: a cheap argon2 hasher, users of every role, an API client."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scidip.auth import passwords
from scidip.auth.models import Role
from scidip.auth.service import add_user, issue_token
from scidip.auth.sessions import touch_session
from scidip.config import Settings
from scidip.datasets.loader import load_dataset
from scidip.db.base import Sensitivity
from scidip.db.migrate import upgrade
from scidip.db.session import make_engine, make_sessionmaker
from scidip.db.stamp import StampingSession
from scidip.web.app import create_app
from scidip.web.cache import ReadCache
from scidip.web.deps import get_db


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """argon2id with small parameters: the same code path, a hundredth of the time."""
    monkeypatch.setattr(
        passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    )
    passwords._dummy_hash.cache_clear()
    yield
    passwords._dummy_hash.cache_clear()


# The app on the test's session, and users of every role and clearance with their tokens.


SECRET = "test-secret-not-for-production"
SUCCESSION = Path(__file__).parents[1] / "fixtures" / "datasets" / "succession"


def build_app(engine: Engine, session: Session, data_dir: Path) -> FastAPI:
    """The app, its requests sharing the test's session: each request in a savepoint, released
    on success and rolled back on error, like a request's own transaction; the test's outer
    transaction is rolled back at its end."""
    settings = Settings(data_dir=data_dir, database_url=str(engine.url), home_party="JPN")
    app = create_app(settings, sessions=make_sessionmaker(engine), secret=SECRET)

    def test_db() -> Iterator[Session]:
        request = session.begin_nested()
        try:
            yield session
            session.flush()
            request.commit()
        except BaseException:
            request.rollback()
            raise

    app.dependency_overrides[get_db] = test_db

    @contextmanager
    def shared() -> Iterator[Session]:  # what the read cache's checks read with (kept.py)
        yield session

    app.state.sessions = shared

    def touch(digest: str, idle: timedelta, now: datetime) -> bool:  # in the test's transaction
        return touch_session(session, digest, idle=idle, now=now)

    app.state.activity.touch = touch
    return app


@contextmanager
def loaded_app(engine: Engine, data_dir: Path) -> Iterator[tuple[FastAPI, Session]]:
    """The fixture dataset loaded on a connection of its own, and the app over it; everything is
    rolled back when the block ends (a module's world)."""
    with engine.connect() as conn:
        outer = conn.begin()
        session = StampingSession(bind=conn, join_transaction_mode="create_savepoint")
        load_dataset(session, SUCCESSION)
        session.flush()
        yield build_app(engine, session, data_dir), session
        session.close()
        outer.rollback()


@pytest.fixture(scope="module")
def web_world(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The fixture dataset, loaded once per module on its own connection, and the app over it;
    everything is rolled back at the end of the module."""
    with loaded_app(engine, tmp_path_factory.mktemp("web")) as world:
        yield world


@pytest.fixture
def db(web_world: Any) -> Iterator[Session]:
    """The module's session, inside a savepoint rolled back after the test."""
    session: Session = web_world[1]
    test = session.begin_nested()
    try:
        yield session
    finally:
        if test.is_active:
            test.rollback()


@pytest.fixture
def app(web_world: Any, db: Session) -> FastAPI:
    """The workbench over the succession fixture dataset (changes undone after the test)."""
    web: FastAPI = web_world[0]
    # The module's data is rolled back after each test, change stamp included: answers kept
    # under a stamp in one test must not be found by the next.
    web.state.read_cache = ReadCache()
    return web


def client_for(app: FastAPI, session: Session, role: Role, clearance: Sensitivity) -> TestClient:
    """A client authenticated (by bearer token) as a new user named ``<role>-<clearance>``."""
    name = f"{role.value}-{clearance.value}"
    user = add_user(session, name, f"password-of-{name}", role, clearance)
    token = issue_token(session, user, "test")
    return TestClient(app, headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def as_user(app: FastAPI, db: Session):  # type: ignore[no-untyped-def]
    """``as_user(role, clearance)``: a client for a user of that role and clearance."""

    def make(role: Role, clearance: Sensitivity = Sensitivity.restricted) -> TestClient:
        return client_for(app, db, role, clearance)

    return make


@pytest.fixture
def editor(as_user) -> TestClient:  # type: ignore[no-untyped-def]
    """An editor cleared for everything."""
    return as_user(Role.editor)  # type: ignore[no-any-return]


@pytest.fixture
def admin(as_user) -> TestClient:  # type: ignore[no-untyped-def]
    """An admin cleared for everything."""
    return as_user(Role.admin)  # type: ignore[no-any-return]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(empty_database_url: str, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    """The app served by uvicorn on loopback over a new database with the viewer ``ann`` and the
    editor ``ed`` (passwords ``password-of-NAME``): its URL and an engine to check with."""
    engine = make_engine(empty_database_url)
    upgrade(engine)
    with make_sessionmaker(engine).begin() as s:
        add_user(s, "ann", "password-of-ann", Role.viewer, Sensitivity.public)
        add_user(s, "ed", "password-of-ed", Role.editor, Sensitivity.restricted)
    settings = Settings(data_dir=tmp_path, database_url=empty_database_url, home_party="JPN")
    app = create_app(settings, secret=SECRET)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}", engine
    finally:
        server.should_exit = True
        serving.join(timeout=10)
        engine.dispose()


#: The MPIDR files beside the checkout (read where they lie; absent: the flows part is skipped).
MPIDR = Path(__file__).parents[2].parent / "shared" / "data" / "mpidr-scholarly-migration"


@pytest.fixture(scope="session")
def tracker_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose indicator store holds the planted synthetic snapshot
    (:mod:`scidip.indicators.tech.synthetic`), its tracker computed with the planted list
    ``syn`` (a user's definitions file), SciDip's mobility figures and, where the shared data
    are there, the MPIDR reference."""
    from scidip.indicators.ingest import ingest
    from scidip.indicators.mobility import service as mobility
    from scidip.indicators.mobility.reference import load_reference
    from scidip.indicators.store import Store
    from scidip.indicators.tech import service as tech
    from scidip.indicators.tech.definitions import load_lists
    from scidip.indicators.tech.synthetic import definitions_yaml, write_planted

    root = tmp_path_factory.mktemp("tracker")
    write_planted(root / "snap")
    store = Store(root / "data" / "indicators")
    ingest(root / "snap", store)
    syn = root / "syn.yaml"
    syn.write_text(definitions_yaml(), encoding="utf-8")
    tech.compute(store, [t for t in load_lists([syn]) if t.list_id in ("syn", "us-cet")])
    mobility.compute(store)
    if MPIDR.is_dir():
        load_reference(MPIDR, store)
    return root / "data"


# A materials store the pages read: the materials tests' tiny world (hand-made, so labelled
# synthetic), whatever the environment names (CI names the real store in SCIDIP_MATERIALS_STORE).


def build_materials_store(folder: Path) -> Path:
    """The tiny world of ``tests/materials/conftest.py`` converted into a store in ``folder``,
    its vintage marked synthetic (the data are made up)."""
    from scidip.materials.convert import convert
    from scidip.materials.fetch import SOURCES, write_vintage

    from ..materials.conftest import build_lib

    convert(build_lib(folder / "lib"), folder / "store")
    vintage = {"source_package": None, "fetched_at": "2026-01-01T00:00:00+00:00",
               "sources": SOURCES, "synthetic": True}  # fmt: skip
    write_vintage(folder / "store", vintage)
    return folder / "store"


@pytest.fixture(scope="session")
def materials_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny world's materials store (built once per session)."""
    return build_materials_store(tmp_path_factory.mktemp("materials"))
