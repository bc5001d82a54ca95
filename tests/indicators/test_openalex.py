"""Reading OpenAlex records: field extraction, type checks, malformed lines with numbers."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from scidip.errors import InvalidData
from scidip.indicators.openalex import parse_work, read_json_file, short_id, snapshot_files

GOOD = {
    "id": "https://openalex.org/W42",
    "publication_year": 2021,
    "type": "review",
    "is_retracted": False,
    "cited_by_count": 7,
    "counts_by_year": [{"year": 2022, "cited_by_count": 7}],
    "primary_topic": {
        "field": {"id": "https://openalex.org/fields/31", "display_name": "Physics and Astronomy"},
        "subfield": {"id": "https://openalex.org/subfields/3104", "display_name": "Condensed"},
        "domain": {"id": "https://openalex.org/domains/3", "display_name": "Physical Sciences"},
    },
    "authorships": [
        {
            "author": {"id": "https://openalex.org/A7"},
            "countries": ["JP"],
            "institutions": [{"country_code": "JP", "lineage": ["https://openalex.org/I1", "I2"]}],
        },
        {"countries": [], "institutions": [{"country_code": "DE"}, {}]},
    ],
    "referenced_works": ["https://openalex.org/W1", "https://openalex.org/W2"],
    "topics": [
        {
            "id": "https://openalex.org/T10682",
            "subfield": {"id": "https://openalex.org/subfields/3107"},
        }
    ],
    # Today's keywords by id, 2023's by name: both read as the same slug.
    "keywords": [
        {"id": "https://openalex.org/keywords/quantum-computing", "display_name": "Quantum"},
        {"keyword": "Qubit  Arrays", "score": 0.5},
    ],
    "title": "ignored",
}


def test_parse_work_extracts_the_fields_used():
    assert parse_work(GOOD) == {
        "work_id": "W42",
        "publication_year": 2021,
        "record_updated": None,
        "work_type": "review",
        "type_crossref": None,
        "source_type": None,
        "is_retracted": False,
        "cited_by_count": 7,
        "topic_id": None,
        "field_id": "31",
        "field_name": "Physics and Astronomy",
        "subfield_id": "3104",
        "subfield_name": "Condensed",
        "domain_id": "3",
        "domain_name": "Physical Sciences",
        "concepts": [],
        "references_count": 2,  # no referenced_works_count: the list's length
        # Codes as given (a null included): the rule for them is flatten's, for both readers.
        "authorships": [
            {
                "author_id": "A7",
                "countries": ["JP"],
                "institution_countries": ["JP"],
                "institutions": [
                    {
                        "lineage": ["I1", "I2"],
                        "id": None,
                        "ror": None,
                        "name": None,
                        "country_code": "JP",
                    }
                ],
            },
            {
                "author_id": None,
                "countries": [],
                "institution_countries": ["DE", None],
                "institutions": [
                    {"lineage": None, "id": None, "ror": None, "name": None, "country_code": "DE"},
                    {"lineage": None, "id": None, "ror": None, "name": None, "country_code": None},
                ],
            },
        ],
        "counts_by_year": [{"year": 2022, "cited_by_count": 7}],
        "referenced_works": ["W1", "W2"],
        "topic_ids": [{"topic_id": "T10682", "subfield_id": "3107"}],
        "keywords": ["quantum-computing", "qubit-arrays"],
    }


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ([1, 2], "record is not a JSON object"),
        ({"publication_year": 2020}, "id is missing"),
        ({"id": "W1"}, "publication_year is missing"),
        ({"id": "W1", "publication_year": "2020"}, "publication_year is not an integer"),
        ({"id": "W1", "publication_year": 2020, "authorships": {}}, "authorships is not a list"),
        ({"id": "W1", "publication_year": 2020, "is_retracted": "no"}, "is_retracted is not a"),
        (
            {
                "id": "W1",
                "publication_year": 2020,
                "authorships": [{"institutions": [{"lineage": [7]}]}],
            },
            "institutions\\[\\].lineage holds a non-string",
        ),
    ],
)
def test_parse_work_names_what_is_wrong(record, reason):
    with pytest.raises(InvalidData, match=reason):
        parse_work(record)


def test_read_json_file_skips_and_numbers_malformed_lines(tmp_path: Path):
    folder = tmp_path / "data" / "works" / "updated_date=2024-03-01"
    folder.mkdir(parents=True)
    path = folder / "part_000.gz"
    lines = [json.dumps(GOOD), "{not json", "", json.dumps({"publication_year": 2020}),
             json.dumps({**GOOD, "id": "https://openalex.org/W43"})]  # fmt: skip
    with gzip.open(path, "wt") as handle:
        handle.write("\n".join(lines) + "\n")
    [file] = snapshot_files(tmp_path)
    assert file.updated_date == "2024-03-01"
    batches = list(read_json_file(file))
    rows = [r for table, _ in batches for r in table.to_pylist()]
    bad = [b for _, skipped in batches for b in skipped]
    assert [(r["work_id"], r["source_line"], r["updated_date"]) for r in rows] == [
        ("W42", 1, "2024-03-01"),
        ("W43", 5, "2024-03-01"),
    ]
    assert [(b.source_line, b.reason.split(":")[0]) for b in bad] == [
        (2, "invalid JSON"),
        (4, "id is missing"),
    ]


def test_snapshot_files_sorted_by_partition(tmp_path: Path):
    for date in ("2024-02-01", "2023-12-01"):
        folder = tmp_path / f"updated_date={date}"
        folder.mkdir()
        (folder / "part_001.gz").write_bytes(b"")
        (folder / "part_000.gz").write_bytes(b"")
    (tmp_path / "manifest").write_text("{}")
    got = [(f.updated_date, f.path.name) for f in snapshot_files(tmp_path)]
    assert got == [
        ("2023-12-01", "part_000.gz"),
        ("2023-12-01", "part_001.gz"),
        ("2024-02-01", "part_000.gz"),
        ("2024-02-01", "part_001.gz"),
    ]
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidData, match="no OpenAlex works files"):
        snapshot_files(tmp_path / "empty")
    with pytest.raises(InvalidData, match="no such file or folder"):
        snapshot_files(tmp_path / "absent")


def test_short_id():
    assert short_id("https://openalex.org/W123") == "W123"
    assert short_id("W9") == "W9"
