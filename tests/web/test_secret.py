"""The cookie secret: from the environment, or made once per data folder, readable by its owner."""

from __future__ import annotations

import stat
from pathlib import Path

from scidip.config import Settings
from scidip.web.secret import session_secret


def test_the_secret_comes_from_the_environment_or_a_private_file(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    assert session_secret(settings, {"SCIDIP_SESSION_SECRET": "from-env"}) == "from-env"
    assert not (tmp_path / "data" / "session-secret").exists()
    first = session_secret(settings, {})
    assert len(first) >= 64 and session_secret(settings, {}) == first
    mode = (tmp_path / "data" / "session-secret").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
