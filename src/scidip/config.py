"""Settings, in one typed class. Nothing is read at import time: call ``Settings()``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_HOME_PARTY = "JPN"
"""The home party of a registry that holds no dataset yet (the reference deployment's)."""


def default_data_dir() -> Path:
    """The per-user data directory (``~/.local/share/scidip`` on Linux)."""
    return Path(user_data_dir("scidip", appauthor=False))


class Settings(BaseSettings):
    """SciDip's configuration, read from ``SCIDIP_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="SCIDIP_", extra="ignore")

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Folder for the embedded database and the analytics stores.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the registry database; defaults to an SQLite file "
            "`scidip.sqlite3` in `data_dir`. PostgreSQL: `postgresql+psycopg://user@host/db`."
        ),
    )
    home_party: str | None = Field(
        default=None,
        description="Code of the party whose agreements and engagements the registry keeps; "
        "default: the home party of the dataset named by `dataset`, else of the first dataset "
        "loaded (its `dataset.yaml`), else JPN.",
    )
    dataset: str | None = Field(
        default=None,
        description="A loaded dataset whose home party to report from (when several are loaded).",
    )
    materials_store: Path | None = Field(
        default=None,
        description="Folder of the materials store (`scidip materials fetch`); default: "
        "`materials` in `data_dir`.",
    )
    read_cache: bool = Field(
        default=True,
        description="Keep read answers in the server between writes; SCIDIP_READ_CACHE=0 "
        "turns it off (benchmarks/api_load.py measures both).",
    )

    trust_proxy: bool = Field(
        default=False,
        description="Behind a reverse proxy that sets X-Forwarded-Proto and X-Forwarded-For: "
        "take the scheme (Secure cookies, HSTS) and the client address from them. Leave off "
        "when clients reach the server directly (they could send the headers themselves).",
    )
    max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="The largest request body accepted; larger ones are refused with 413 "
        "before they are read.",
    )
    session_idle_minutes: int = Field(
        default=30,
        ge=1,
        le=12 * 60,
        description="A page session not used for this many minutes is refused: log in again "
        "(ASVS 4.0.3 V3.3.2, level 2: 30 minutes of inactivity). Sessions also end 12 hours "
        "after the login, used or not; API tokens keep their own expiry.",
    )

    indicators_engine: Literal["duckdb", "spark"] = Field(
        default="duckdb", description="The indicators' engine: duckdb or spark."
    )
    indicators_spark_master: str = Field(
        default="local[*]",
        description="Spark master URL: `local[*]`, or a cluster such as `spark://host:7077`.",
    )
    indicators_spark_shuffle_partitions: int = Field(
        default=8, description="`spark.sql.shuffle.partitions` for the Spark session."
    )
    indicators_duckdb_threads: int | None = Field(
        default=None, description="DuckDB threads (None: all)."
    )
    indicators_duckdb_memory_limit: str | None = Field(
        default=None, description="DuckDB memory limit, e.g. `8GB` (None: DuckDB's default)."
    )

    def resolved_database_url(self) -> str:
        """The database URL in force: the configured one, or the embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'scidip.sqlite3'}"
