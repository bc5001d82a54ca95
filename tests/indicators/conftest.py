"""Fixtures: the ``engine`` every indicator test runs on (DuckDB and Spark), and helpers."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ENGINES = ["duckdb", "spark"]
#: Tiny inputs: compiling generated code and adaptive re-planning cost more than they save.
SPARK_TEST_SETTINGS = {
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    "spark.sql.adaptive.enabled": "false",
    "spark.default.parallelism": "1",
    "spark.driver.extraJavaOptions": "-XX:+UseSerialGC -XX:TieredStopAtLevel=1",
}


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    """One local Spark session for the whole test run: 2 cores, 2 shuffle partitions, no UI."""
    pytest.importorskip("pyspark")
    from scidip.indicators.engine import spark_session as make_session

    session = make_session("local[2]", shuffle_partitions=1, extra=SPARK_TEST_SETTINGS)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> ibis.BaseBackend:
    """An Ibis backend: a fresh in-memory DuckDB, or the shared local Spark session."""
    if request.param == "duckdb":
        return ibis.duckdb.connect()
    session = request.getfixturevalue("spark_session")
    return ibis.pyspark.connect(session)


@pytest.fixture
def run(engine: ibis.BaseBackend) -> Callable[..., list[dict[str, Any]]]:
    """``run(expr, order, keys=None)``: execute on the engine, rows as dicts sorted by ``order``,
    restricted to ``keys`` when given (to compare whole rows with ``pytest.approx``)."""

    def _run(
        expr: Any, order: Sequence[str], keys: Sequence[str] | None = None
    ) -> list[dict[str, Any]]:
        got = engine.to_pyarrow(expr.order_by(list(order))).to_pylist()
        return got if keys is None else [{k: r[k] for k in keys} for r in got]

    return _run


@pytest.fixture
def load(engine: ibis.BaseBackend, tmp_path: Path) -> Callable[[Any], Any]:
    """``load(data)``: a dict of columns or an Arrow table, read by the engine from Parquet.

    Parquet rather than an in-memory table: Spark would receive it through pandas, which turns
    a null string into "NaN".
    """
    counter = itertools.count()

    def _load(data: Any) -> Any:
        table = data if isinstance(data, pa.Table) else pa.table(data)
        path = tmp_path / f"input_{next(counter)}.parquet"
        pq.write_table(table, path)
        return engine.read_parquet(str(path))

    return _load


@pytest.fixture
def cache(engine: ibis.BaseBackend) -> Callable[[Any], Any]:
    """Materialise shared intermediates, as ``compute`` does (keeps Spark plans small)."""
    from scidip.indicators.engine import materialiser

    return materialiser(engine)


@pytest.fixture(scope="session")
def planted_store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The planted-truth synthetic snapshot (``scidip.indicators.tech.synthetic``), ingested
    once: the tracker's and the mobility figures' tests read it."""
    from scidip.indicators.ingest import ingest
    from scidip.indicators.store import Store
    from scidip.indicators.tech.synthetic import write_planted

    root = tmp_path_factory.mktemp("planted")
    write_planted(root / "snap")
    store = Store(root / "store")
    ingest(root / "snap", store)
    return store


@pytest.fixture(scope="session")
def ingest_works() -> Callable[..., Any]:
    """``ingest_works(root, works, date="2022-01-01")``: hand-made work records written as a
    snapshot partition under ``root`` and ingested into ``root / "store"``; the store."""
    import gzip
    import json

    from scidip.indicators.ingest import ingest
    from scidip.indicators.store import Store

    def _ingest(root: Path, works: list[dict[str, Any]], date: str = "2022-01-01") -> Any:
        folder = root / "snap" / "data" / "works" / f"updated_date={date}"
        folder.mkdir(parents=True)
        with gzip.open(folder / "part_000.gz", "wt") as handle:
            handle.write("\n".join(json.dumps(w) for w in works) + "\n")
        store = Store(root / "store")
        ingest(root / "snap", store)
        return store

    return _ingest
