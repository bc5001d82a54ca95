"""Fixtures of the browser tests: the workbench on loopback over a new database with the fixture
dataset, Debian's Chromium driven by Playwright, and a folder for screenshots (test artefacts in
SCIDIP_TEST_ARTEFACTS, default: the test's temporary folder)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.auth.service import add_user
from scidip.config import Settings
from scidip.datasets.loader import load_dataset
from scidip.db.base import Sensitivity
from scidip.db.migrate import upgrade
from scidip.db.session import make_engine, make_sessionmaker
from scidip.web.app import create_app

from ..conftest import SECRET, SUCCESSION

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# An assertion waits up to 15 s (Playwright's default is 5): on a loaded 2-core machine a form's
# save and the redirect after it took longer than 5 s. A passing check returns as soon as it holds.
expect.set_options(timeout=15_000)
# CI sets SCIDIP_REQUIRE_BROWSER: there a missing browser fails the tests instead of skipping them.
browser_needed = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("SCIDIP_REQUIRE_BROWSER"),
    reason="needs Debian's chromium (apt-get install chromium)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


Setup = Callable[[Session], None]


def serve(database_url: str, data_dir: Path, setup: Setup | None = None) -> Iterator[str]:
    """The workbench on a new database with the fixture dataset, one admin ``eve`` and what
    ``setup`` adds, on loopback; its base URL."""
    engine = make_engine(database_url)
    upgrade(engine)
    with make_sessionmaker(engine)() as s, s.begin():
        load_dataset(s, SUCCESSION)
        add_user(s, "eve", "password-of-eve", Role.admin, Sensitivity.restricted)
        if setup is not None:
            setup(s)
    settings = Settings(data_dir=data_dir, database_url=database_url)
    port = _free_port()
    app = create_app(settings, sessions=make_sessionmaker(engine), secret=SECRET)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture
def server(empty_database_url: str, tmp_path: Path) -> Iterator[str]:
    """The workbench on a new database with the fixture dataset and one admin, on loopback."""
    yield from serve(empty_database_url, tmp_path)


@pytest.fixture
def artefacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCIDIP_TEST_ARTEFACTS", tmp_path)) / "e2e"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A browser tab; the test fails if the Content-Security-Policy blocked anything in it."""
    tab = browser.new_page(viewport={"width": 1200, "height": 900})
    blocked: list[str] = []
    tab.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield tab
    tab.close()
    assert blocked == []
