"""The secret that signs session cookies: from the environment, or generated per data folder."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from scidip.config import Settings

ENV = "SCIDIP_SESSION_SECRET"
FILE = "session-secret"


def session_secret(settings: Settings, environ: dict[str, str] | None = None) -> str:
    """``SCIDIP_SESSION_SECRET`` if set, else the secret kept in ``<data_dir>/session-secret``,
    created (readable by its owner only) on first use. Never part of the repository."""
    env = os.environ if environ is None else environ
    if env.get(ENV):
        return env[ENV]
    path = Path(settings.data_dir) / FILE
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")
    return value
