"""Create or upgrade a registry database with the Alembic migrations shipped in the package.

Every command asks whether the database is at the shipped schema; that check reads the
``alembic_version`` table and the migration files' ``revision`` lines, and imports no Alembic
(which costs a command a fifth of a second to start). Upgrading uses Alembic.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r'^(down_revision|revision)\b[^=]*=\s*(?:"([^"]*)"|None)', re.MULTILINE)


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration pointing at the packaged migrations (and ``url`` if given)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or ``None`` for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


@cache
def head_revision() -> str | None:
    """The newest revision shipped with this version of SciDip: the one no other migration
    names as its ``down_revision`` (``tests/db/test_migrate.py`` checks it against Alembic's)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict((m.group(1), m.group(2)) for m in _REVISION.finditer(path.read_text()))
        if found.get("revision"):
            revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = sorted(revisions - parents)
    if len(heads) > 1:
        raise RuntimeError(f"the migrations have more than one head: {heads}")
    return heads[0] if heads else None


def upgrade(engine: Engine) -> tuple[str | None, str | None]:
    """Bring the database to the newest schema, keeping its data. Returns (before, after)."""
    from alembic import command

    before = current_revision(engine)
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return before, current_revision(engine)
