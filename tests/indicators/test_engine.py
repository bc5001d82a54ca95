"""Engine selection and settings."""

from __future__ import annotations

import pytest

from scidip.indicators.engine import EngineName, IndicatorSettings, connect, materialiser


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SCIDIP_INDICATORS_ENGINE", "spark")
    monkeypatch.setenv("SCIDIP_INDICATORS_SPARK_MASTER", "spark://cluster:7077")
    settings = IndicatorSettings.from_settings()
    assert (settings.engine, settings.spark_master) == (EngineName.spark, "spark://cluster:7077")


def test_duckdb_connection_with_limits_and_a_materialiser():
    con = connect(EngineName.duckdb, IndicatorSettings(duckdb_threads=1, duckdb_memory_limit="1GB"))
    assert con.name == "duckdb"
    assert con.raw_sql("SELECT current_setting('threads')").fetchone() == (1,)
    import ibis

    t = ibis.memtable({"x": [1, 2, 3]})
    kept = materialiser(con)(t.mutate(y=t.x * 2))
    assert con.to_pyarrow(kept.order_by("x")).to_pydict() == {"x": [1, 2, 3], "y": [2, 4, 6]}
