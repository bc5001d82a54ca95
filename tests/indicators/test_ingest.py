"""Ingest: JSON Lines (clean fast path and line-by-line path), Parquet, duplicates, reports."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scidip.errors import NotFound
from scidip.indicators.ingest import SORTED_BY, ingest, stage_tables
from scidip.indicators.normalise import alpha2_to_alpha3
from scidip.indicators.openalex import STAGING_SCHEMA, SnapshotFile
from scidip.indicators.openalex_arrow import read_json_clean
from scidip.indicators.store import Store
from scidip.indicators.synthetic import SyntheticSpec
from scidip.indicators.synthetic_writers import write_snapshot


def _record(wid: str, year: int, countries: list[list[str]], **extra: Any) -> str:
    auths = [{"countries": c, "institutions": [{"country_code": x} for x in c]} for c in countries]
    return json.dumps({"id": f"https://openalex.org/{wid}", "publication_year": year,
                       "type": "article", "authorships": auths, **extra})  # fmt: skip


def _write(root: Path, updated: str, lines: list[str]) -> None:
    folder = root / "data" / "works" / f"updated_date={updated}"
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(folder / "part_000.gz", "wt") as handle:
        handle.write("\n".join(lines) + "\n")


def _table(store: Store, name: str, order: list[str]) -> list[dict[str, Any]]:
    return (
        pq.read_table(store.table_path(name)).sort_by([(c, "ascending") for c in order]).to_pylist()
    )


def test_ingest_skips_malformed_records_and_keeps_the_latest_version(tmp_path: Path):
    snap = tmp_path / "snap"
    _write(snap, "2024-01-01", [
        _record("W1", 2020, [["JP"], ["US"]]),
        '{"id": "https://openalex.org/W9", "publication_year": ',
        _record("W2", 2021, [["DE"]]),
    ])  # fmt: skip
    _write(snap, "2024-02-01", [
        _record("W1", 2020, [["JP"]], cited_by_count=5),
        json.dumps({"id": "https://openalex.org/W8", "publication_year": "soon"}),
    ])  # fmt: skip
    store = Store(tmp_path / "store")
    seen: list[tuple[int, int]] = []
    report = ingest(snap, store, progress=lambda b, r: seen.append((b, r)))
    # 5 lines: 3 records read (W1 twice, W2), 2 skipped; 2 distinct works.
    assert (report.files, report.records_read, report.malformed, report.works) == (2, 3, 2, 2)
    bad = [
        (Path(b["source_file"]).parent.name, b["source_line"]) for b in report.malformed_examples
    ]
    assert bad == [("updated_date=2024-01-01", 2), ("updated_date=2024-02-01", 2)]
    assert sum(r for _, r in seen) == 5  # every line, good or bad, advances the progress
    assert sum(b for b, _ in seen) == report.input_bytes
    works = _table(store, "works", ["work_id"])
    assert [(w["work_id"], w["cited_by_count"], w["updated_date"]) for w in works] == [
        ("W1", 5, "2024-02-01"),
        ("W2", 0, "2024-01-01"),
    ]
    # work_key: the record's number among the records read (W1's latest record is the third).
    assert [(w["work_id"], w["work_key"]) for w in works] == [("W1", 2), ("W2", 1)]
    attributes = {"work_type": "article", "is_retracted": False, "field_id": "unknown",
                  "has_country": True, "references_count": None, "source_type": None,
                  "topic_id": None}  # fmt: skip
    assert _table(store, "work_country", ["work_key", "country_code"]) == [
        {"work_key": 1, "country_code": "DEU", "paper_weight_frac": 1.0,
         "is_international": False, "partner_codes": [], "publication_year": 2021,
         "cited_by_count": 0, **attributes},
        {"work_key": 2, "country_code": "JPN", "paper_weight_frac": 1.0,
         "is_international": False, "partner_codes": [], "publication_year": 2020,
         "cited_by_count": 5, **attributes},
    ]  # fmt: skip
    malformed = pq.read_table(store.base / "malformed.parquet").to_pylist()
    assert [m["source_line"] for m in malformed] == [2, 2]
    assert store.read_meta("ingest")["synthetic"] is False


def test_json_and_parquet_snapshots_give_the_same_tables(tmp_path: Path):
    spec = SyntheticSpec(works=1500, seed=11, works_per_file=600)
    stores = []
    for parquet in (False, True):
        snap = tmp_path / f"snap_{parquet}"
        write_snapshot(spec, snap, parquet=parquet)
        store = Store(tmp_path / f"store_{parquet}")
        report = ingest(snap, store)
        assert (report.files, report.works, report.malformed, report.synthetic) == (
            3, 1500, 0, True,
        )  # fmt: skip
        stores.append(store)
    for name, order in [("works", ["work_key"]), ("work_field", ["work_key"]),
                        ("work_country", ["work_key", "country_code"]),
                        ("work_citation_year", ["work_key", "citation_year"])]:  # fmt: skip
        a, b = (_table(s, name, order) for s in stores)
        for row in a + b:  # where each row came from differs, nothing else
            row.pop("source_file", None)
            # Fractional weights are float sums whose order may differ: compare to 1e-12.
            row.update({k: round(v, 12) for k, v in row.items() if isinstance(v, float)})
        assert a == b, name


def test_country_rows_are_written_by_reference_set_and_citations(tmp_path: Path):
    write_snapshot(SyntheticSpec(works=800, seed=5, works_per_file=300), tmp_path / "snap")
    store = Store(tmp_path / "store")
    ingest(tmp_path / "snap", store)
    columns = SORTED_BY["work_country"]
    t = pq.read_table(store.table_path("work_country"), columns=columns)
    keys = list(zip(*(t.column(c).to_pylist() for c in columns), strict=True))
    assert keys == sorted(keys)


def test_each_batch_is_staged_with_its_records_country_weights():
    # Record 7: authorships JP | JP+US → A = 2: JPN 1/2 + 1/4, USA 1/4. Record 8: no country.
    rows = pa.Table.from_pylist(
        [
            {"work_id": "W1", "publication_year": 2020,
             "authorships": [{"countries": ["JP"]}, {"countries": ["JP", "US"]}]},
            {"work_id": "W2", "publication_year": 2021, "authorships": []},
        ],
        schema=STAGING_SCHEMA,
    )  # fmt: skip
    staged = stage_tables(rows, 7, alpha2_to_alpha3())
    assert sorted(staged) == [
        "citation_years",
        "record_authors",
        "record_countries",
        "record_institutions",
        "record_keywords",
        "record_references",
        "record_topics",
        "records",
    ]
    assert staged["records"].column("record_key").to_pylist() == [7, 8]
    weights = staged["record_countries"].sort_by("country_code").to_pylist()
    assert weights == [
        {"record_key": 7, "country_code": "JPN", "paper_weight_frac": 0.75,
         "is_international": True, "partner_codes": ["USA"]},
        {"record_key": 7, "country_code": "USA", "paper_weight_frac": 0.25,
         "is_international": True, "partner_codes": ["JPN"]},
    ]  # fmt: skip


def test_reading_an_empty_store_is_not_found(tmp_path: Path):
    with pytest.raises(NotFound, match="nothing ingested"):
        Store(tmp_path).read_meta("ingest")


def _country_rows(store: Store) -> list[tuple[str, str, float]]:
    ids = {w["work_key"]: w["work_id"] for w in _table(store, "works", ["work_key"])}
    rows = _table(store, "work_country", ["work_key", "country_code"])
    return [
        (ids[r["work_key"]], r["country_code"], round(r["paper_weight_frac"], 12)) for r in rows
    ]


def test_null_and_empty_country_codes_read_alike_by_both_readers(tmp_path: Path):
    # W1: countries [""] and [null] are no codes: the institutions decide (JP; then DE, the
    # blank institution code ignored); " " is blank too. W2: nothing but blanks: no country.
    lines = [
        json.dumps({"id": "W1", "publication_year": 2020, "type": "article",
                    "referenced_works_count": 3, "authorships": [
            {"countries": [""], "institutions": [{"country_code": "JP"}]},
            {"countries": [None], "institutions": [{"country_code": ""}, {"country_code": "DE"}]},
            {"countries": [" ", "US"], "institutions": []},
        ]}),
        json.dumps({"id": "W2", "publication_year": 2020, "type": "article",
                    "referenced_works_count": 0, "authorships": [
            {"countries": [""], "institutions": [{"country_code": None}]},
        ]}),
    ]  # fmt: skip
    clean, dirty = tmp_path / "clean.jsonl", tmp_path / "dirty.jsonl"
    clean.write_text("\n".join(lines) + "\n")
    # One bad line sends the whole file to the line-by-line reader.
    dirty.write_text("\n".join([*lines, "{not json"]) + "\n")
    expected = [("W1", "DEU", round(1 / 3, 12)), ("W1", "JPN", round(1 / 3, 12)),
                ("W1", "USA", round(1 / 3, 12)), ("W2", "XXX", 1.0)]  # fmt: skip
    # The clean file is read by Arrow's reader, the other line by line.
    assert read_json_clean(SnapshotFile(clean, "", False)) is not None
    assert read_json_clean(SnapshotFile(dirty, "", False)) is None
    for path, malformed in ((clean, 0), (dirty, 1)):
        store = Store(tmp_path / path.stem)
        assert ingest(path, store).malformed == malformed
        assert _country_rows(store) == expected, path.name


def test_a_snapshot_root_is_read_from_data_works_only(tmp_path: Path):
    snap = tmp_path / "snap"
    _write(snap, "2024-01-01", [_record("W1", 2020, [["JP"]])])
    for entity in ("authors", "institutions", "merged_ids"):
        folder = snap / "data" / entity / "updated_date=2024-01-01"
        folder.mkdir(parents=True)
        with gzip.open(folder / "part_000.gz", "wt") as handle:
            handle.write(json.dumps({"id": "https://openalex.org/A1", "display_name": "X"}) + "\n")
    report = ingest(snap, Store(tmp_path / "store"))
    assert (report.files, report.records_read, report.malformed, report.works) == (1, 1, 0, 1)
    assert report.ignored == ["authors", "institutions", "merged_ids"]
    assert report.read_from == (
        f"snapshot root: read {snap / 'data' / 'works'} only"
        " (not works, not read: authors, institutions, merged_ids)"
    )


def test_api_list_pages_in_json_lines_and_compact_single_bodies(tmp_path: Path):
    page = {"meta": {"count": 2}, "results": [json.loads(_record("W1", 2020, [["JP"]])),
                                              {"id": "W2"}]}  # fmt: skip
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps(page) + "\n" + _record("W3", 2021, [["DE"]]) + "\n")
    store = Store(tmp_path / "store")
    report = ingest(path, store)
    # W2 lacks its year: skipped and named by its place in the page.
    assert (report.records_read, report.works, report.malformed) == (2, 2, 1)
    assert report.malformed_examples == [
        {"source_file": str(path), "source_line": 1,
         "reason": "results[1]: publication_year is missing"},
    ]  # fmt: skip
    assert [w["work_id"] for w in _table(store, "works", ["work_id"])] == ["W1", "W3"]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("publication_year", "2020", "publication_year is not an integer"),
        ("publication_year", 2020.5, "publication_year is not an integer"),
        ("publication_year", True, "publication_year is not an integer"),
        ("cited_by_count", "5", "cited_by_count is not an integer"),
        ("is_retracted", "false", "is_retracted is not a boolean"),
        ("type", {"a": 1}, "type is not a string"),
    ],
)
def test_the_fast_reader_casts_nothing_the_line_reader_refuses(
    tmp_path: Path, field: str, value: Any, reason: str
):
    """A value of the wrong JSON type is not converted by the fast path (some readers turn
    ``2020.5`` into 2020 or ``true`` into 1): the file goes to the line-by-line reader, which
    refuses the record and says why, so both readers give one answer."""
    good = _record("W1", 2020, [["JP"]], referenced_works_count=0)
    bad = json.loads(_record("W2", 2021, [["DE"]], referenced_works_count=0))
    path = tmp_path / "works.jsonl"
    path.write_text(f"{good}\n{json.dumps(bad)}\n")
    # With the value right, the fast path takes the file (so the check below tests its types).
    assert read_json_clean(SnapshotFile(path, "", False)) is not None
    bad[field] = value
    path.write_text(f"{good}\n{json.dumps(bad)}\n")
    assert read_json_clean(SnapshotFile(path, "", False)) is None
    report = ingest(path, Store(tmp_path / "store"))
    assert (report.records_read, report.malformed, report.works) == (1, 1, 1)
    assert report.malformed_examples[0]["source_line"] == 2
    assert report.malformed_examples[0]["reason"].endswith(reason)
