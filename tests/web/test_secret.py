"""The cookie secret: from the environment, or made once per data folder, readable by its owner."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from scidip.config import Settings
from scidip.web.app import app_from_environment
from scidip.web.secret import session_secret


def test_the_secret_comes_from_the_environment_or_a_private_file(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    assert session_secret(settings, {"SCIDIP_SESSION_SECRET": "from-env"}) == "from-env"
    assert not (tmp_path / "data" / "session-secret").exists()
    first = session_secret(settings, {})
    assert len(first) >= 64 and session_secret(settings, {}) == first
    mode = (tmp_path / "data" / "session-secret").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_the_worker_factory_reads_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCIDIP_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite3'}")
    monkeypatch.setenv("SCIDIP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SCIDIP_SESSION_SECRET", "from-env")
    app = app_from_environment()
    assert (app.state.secret, app.state.settings.database_url) == (
        "from-env",
        f"sqlite:///{tmp_path / 'w.sqlite3'}",
    )
