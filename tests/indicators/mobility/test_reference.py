"""The MPIDR published series, loaded from shared/data as a reference (never copied into the
repository), and shown beside SciDip's own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scidip.errors import InvalidData, NotFound
from scidip.indicators.mobility import service
from scidip.indicators.mobility.reference import load_reference, reference_meta, reference_rows
from scidip.indicators.store import Store

MPIDR = Path(__file__).parents[3].parent / "shared" / "data" / "mpidr-scholarly-migration"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    if not MPIDR.is_dir():
        pytest.skip(f"{MPIDR} is not there")
    target = Store(tmp_path_factory.mktemp("ref"))
    load_reference(MPIDR, target)
    return target


def test_the_published_series_load_with_their_source(store: Store):
    meta = reference_meta(store)
    assert meta["citation"].startswith("Akbaritabar, A., Theile, T. & Zagheni, E. (2024).")
    assert [(f["file"][:8], f["rows_kept"]) for f in meta["files"]] == [
        ("openalex", 3940),
        ("scopus_2", 4539),
        ("scopus_2", 92980),
    ]
    assert meta["rows_without_iso3_left_out"] == 366
    # Japan 1998 in the OpenAlex series, as published (first data row for JPN in the CSV).
    where = [("country_code", "=", "JPN"), ("year", "=", 1998), ("series", "=", "openalex")]
    got = reference_rows(store, "mpidr_country_year", where)
    assert [(r["padded_population"], r["inmigrations"], r["outmigrations"], r["netmigration"])
            for r in got] == [(201403, 2831, 2884, -53)]  # fmt: skip


def test_the_reference_is_shown_beside_scidips_own(store: Store):
    rows = service.beside(store, "jpn", "scopus")
    assert (rows[0]["year"], rows[-1]["year"], len(rows)) == (1998, 2020, 23)
    r2018 = next(r for r in rows if r["year"] == 2018)
    figures = ("mpidr_padded_population", "mpidr_inmigrations", "mpidr_outmigrations",
               "scidip_padded_population")  # fmt: skip
    assert [r2018[f] for f in figures] == [356238, 2947, 3542, None]


def test_partner_flows_sum_the_published_flows(store: Store):
    rows = service.partner_flows(store, "JPN", 2016, 2020)
    usa = next(r for r in rows if r["partner"] == "USA")
    table = reference_rows(store, "mpidr_flows", [("year", ">=", 2016), ("year", "<=", 2020)])
    to_usa = sum(
        r["n_migrations"] for r in table if (r["origin"], r["destination"]) == ("JPN", "USA")
    )
    from_usa = sum(
        r["n_migrations"] for r in table if (r["origin"], r["destination"]) == ("USA", "JPN")
    )
    assert (usa["to_partner"], usa["from_partner"], usa["net"]) == (
        to_usa,
        from_usa,
        from_usa - to_usa,
    )
    assert rows[0]["partner"] == "USA"  # the largest exchange first


def test_a_file_without_a_column_is_refused_and_nothing_is_written(tmp_path: Path):
    if not MPIDR.is_dir():
        pytest.skip(f"{MPIDR} is not there")
    broken = tmp_path / "mpidr"
    shutil.copytree(MPIDR, broken)
    csv = broken / "scopus_2024_V1_scholarlymigration_country_enriched.csv"
    lines = csv.read_text().splitlines()
    csv.write_text("\n".join(line.replace("iso3code", "iso_3") for line in lines[:3]) + "\n")
    target = Store(tmp_path / "store")
    with pytest.raises(
        InvalidData,
        match=r"country_enriched.csv: missing column\(s\) iso3code: not the MPIDR file",
    ):
        load_reference(broken, target)
    assert not (target.root / "reference").exists()
    with pytest.raises(NotFound, match="run `scidip mobility load-reference`"):
        service.beside(target, "JPN")
