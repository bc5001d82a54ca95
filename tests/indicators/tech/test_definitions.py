"""Technology lists: the shipped files, a user's file, errors with file and line, crosswalk."""

from __future__ import annotations

from pathlib import Path

import pytest

from scidip.errors import InvalidData
from scidip.indicators.tech.definitions import crosswalk, load_lists, parse_list, select


def test_shipped_lists_name_their_edition_version_and_source():
    lists = load_lists()
    assert [(t.list_id, t.label, len(t.technologies)) for t in lists] == [
        ("aspi", "aspi 2024-08 (mapping v2)", 11),
        ("jp-esp", "jp-esp 2022-09-30 (mapping v1)", 16),
        ("us-cet", "us-cet 2024-02 (mapping v1)", 18),
    ]
    assert all(t.source["citation"] and t.source["url"] and t.coverage for t in lists)
    # What could not be verified is said, not guessed.
    assert lists[1].coverage.startswith("partial: 16 of the 20 areas")
    assert lists[0].coverage.startswith("partial:")
    assert lists[2].coverage == "complete"


def test_us_cet_holds_the_18_areas_of_the_2024_update():
    names = [t.name for t in select(load_lists(), "us-cet")]
    assert len(names) == 18
    assert names[0] == "Advanced Computing"
    assert names[-1] == "Space Technologies and Systems"
    assert "Positioning, Navigation, and Timing Technologies" in names


def test_crosswalk_is_read_both_ways_and_names_only_known_technologies():
    pairs = crosswalk(load_lists())
    assert ("jp-esp/hypersonics", "us-cet/hypersonics") in pairs
    assert ("aspi/quantum-computing", "us-cet/quantum-information") in pairs
    assert len(pairs) == len(set(pairs)) == 45
    assert all(a < b for a, b in pairs)


def test_a_users_file_adds_a_list_and_replaces_a_shipped_one(tmp_path: Path, syn_file: Path):
    own = tmp_path / "cet.yaml"
    own.write_text(
        "list: us-cet\ntitle: Ours\nedition: '2026'\nversion: '7'\nsource: {citation: us}\n"
        "coverage: complete\nmapping: ours\ntechnologies:\n"
        "  - {id: ai, name: AI, subfields: ['1702']}\n",
        encoding="utf-8",
    )
    lists = load_lists([syn_file, own])
    assert [t.label for t in lists] == [
        "aspi 2024-08 (mapping v2)",
        "jp-esp 2022-09-30 (mapping v1)",
        "syn test (mapping v1)",
        "us-cet 2026 (mapping v7)",
    ]
    # The shipped lists' crosswalk into the replaced us-cet keeps the pairs that still exist.
    assert [p for p in crosswalk(lists) if "us-cet/" in p[0] + p[1]] == []
    assert ("aspi/quantum", "jp-esp/quantum-information-science") in crosswalk(lists)
    assert len(crosswalk(lists)) == 13  # aspi ↔ jp-esp only


def test_a_users_crosswalk_must_name_known_technologies(tmp_path: Path):
    own = tmp_path / "mine.yaml"
    own.write_text(
        "list: mine\ntitle: Mine\nedition: '1'\nversion: '1'\nsource: {citation: me}\n"
        "coverage: complete\nmapping: mine\ntechnologies:\n"
        "  - {id: ai, name: AI, subfields: ['1702'], crosswalk: [us-cet/nope]}\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidData, match=r"mine\.yaml: ai: crosswalk names unknown us-cet/nope"):
        load_lists([own])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "list: x\n",
            "x.yaml:1: missing key(s) coverage, edition, mapping, source, technologies, title, "
            "version",
        ),
        (
            "list: x\ntitle: t\nedition: e\nversion: v\nsource: {url: u}\ncoverage: c\n"
            "mapping: m\ntechnologies: [{id: a, name: A, keywords: [k]}]\n",
            "x.yaml:1: source.citation is missing: every list cites its source",
        ),
        (
            "list: x\ntitle: t\nedition: e\nversion: v\nsource: {citation: c}\ncoverage: c\n"
            "mapping: m\ntechnologies:\n  - {id: a, name: A, keywords: [k]}\n"
            "  - {id: b, name: B}\n",
            "x.yaml:10: b: the query is empty (no subfields, topics or keywords)",
        ),
        (
            "list: x\ntitle: t\nedition: e\nversion: v\nsource: {citation: c}\ncoverage: c\n"
            "mapping: m\ntechnologies:\n  - {id: a, name: A, keywords: [k]}\n"
            "  - {id: a, name: B, topic: [T1]}\n",
            "x.yaml:10: unknown key(s) topic",
        ),
        (
            "list: x\ntitle: t\nedition: e\nversion: v\nsource: {citation: c}\ncoverage: c\n"
            "mapping: m\ntechnologies:\n  - {id: a, name: A, keywords: [k]}\n"
            "  - {id: a, name: B, topics: [T1]}\n",
            "x.yaml:10: duplicate id 'a'",
        ),
    ],
)
def test_a_bad_file_is_refused_with_file_and_line(body: str, message: str):
    with pytest.raises(InvalidData) as err:
        parse_list(body, "x.yaml")
    assert str(err.value) == message


def test_an_unknown_list_names_the_lists_there_are():
    with pytest.raises(InvalidData, match=r"no technology list 'nope' \(there are: aspi, "):
        select(load_lists(), "nope")


def test_a_missing_file_is_named(tmp_path: Path):
    with pytest.raises(InvalidData, match="no such definitions file"):
        load_lists([tmp_path / "absent.yaml"])
