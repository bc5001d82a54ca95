"""The engine that runs the indicator expressions: DuckDB (default) or Apache Spark.

The same Ibis expressions run on both. Spark is imported only when asked for, so the DuckDB path
works without ``pyspark`` installed (``pip install 'scidip[spark]'`` adds it).
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel, Field

from scidip.config import Settings
from scidip.errors import InvalidData


class EngineName(StrEnum):
    """Engines that can execute the indicators."""

    duckdb = "duckdb"
    spark = "spark"


class IndicatorSettings(BaseModel):
    """The engine's settings: the ``indicators_*`` part of SciDip's one
    :class:`~scidip.config.Settings` (``SCIDIP_INDICATORS_*`` variables), or given."""

    engine: EngineName = Field(default=EngineName.duckdb, description="duckdb or spark.")
    spark_master: str = Field(default="local[*]", description="Spark master URL.")
    spark_shuffle_partitions: int = Field(
        default=8, description="`spark.sql.shuffle.partitions` for the Spark session."
    )
    duckdb_threads: int | None = Field(default=None, description="DuckDB threads (None: all).")
    duckdb_memory_limit: str | None = Field(
        default=None, description="DuckDB memory limit, e.g. `8GB` (None: DuckDB's default)."
    )

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> IndicatorSettings:
        """Those of ``settings`` (default: read from the environment now)."""
        s = settings or Settings()
        return cls(
            engine=EngineName(s.indicators_engine),
            spark_master=s.indicators_spark_master,
            spark_shuffle_partitions=s.indicators_spark_shuffle_partitions,
            duckdb_threads=s.indicators_duckdb_threads,
            duckdb_memory_limit=s.indicators_duckdb_memory_limit,
        )


def spark_session(
    master: str = "local[*]", shuffle_partitions: int = 8, extra: dict[str, str] | None = None
) -> Any:
    """A Spark session for the indicators (the web UI off); reuses one that is running.

    ``extra``: further Spark settings (the tests turn code generation off, which costs more
    than it saves on tiny inputs).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise InvalidData("the spark engine needs pyspark: install scidip's 'spark' extra") from exc
    builder = (
        SparkSession.builder.master(master)
        .appName("scidip-indicators")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.sql.session.timeZone", "UTC")
        # Not the working directory: Spark would leave a spark-warehouse/ folder there.
        .config("spark.sql.warehouse.dir", str(Path(tempfile.gettempdir()) / "scidip-spark"))
    )
    for key, value in (extra or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def connect(engine: EngineName, settings: IndicatorSettings | None = None) -> ibis.BaseBackend:
    """An Ibis backend for ``engine``, configured from ``settings``."""
    settings = settings or IndicatorSettings.from_settings()
    if engine is EngineName.spark:
        session = spark_session(settings.spark_master, settings.spark_shuffle_partitions)
        return ibis.pyspark.connect(session)
    config: dict[str, Any] = {}
    if settings.duckdb_threads:
        config["threads"] = settings.duckdb_threads
    if settings.duckdb_memory_limit:
        config["memory_limit"] = settings.duckdb_memory_limit
    return ibis.duckdb.connect(**config)


def materialiser(con: ibis.BaseBackend) -> Callable[[ir.Table], ir.Table]:
    """A function that computes a table once and returns it for reuse, on ``con``.

    DuckDB: a temporary table. Spark: a cached DataFrame (``Table.cache``).
    """
    names = itertools.count()

    def on_duckdb(expr: ir.Table) -> ir.Table:
        return con.create_table(f"_scidip_step_{id(names)}_{next(names)}", expr, temp=True)

    def on_spark(expr: ir.Table) -> ir.Table:
        return expr.cache()

    return on_duckdb if con.name == "duckdb" else on_spark


def engine_name(con: ibis.BaseBackend) -> str:
    """``duckdb`` or ``pyspark``: the Ibis backend name of a connection."""
    return str(con.name)
