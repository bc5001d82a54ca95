"""Dataset loading: validation with file and line, all or nothing, re-runs, export round trip."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scidip.datasets.loader import (
    DatasetInvalid,
    Kept,
    Manifest,
    Problem,
    export_dataset,
    load_dataset,
    read_dataset,
)
from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.audit.models import AuditEntry
from scidip.registry.concepts import BY_NAME, CONCEPTS
from scidip.registry.party.models import Party
from scidip.registry.record import Outcome, snapshot

SUCCESSION_DATASET = Path(__file__).parents[1] / "fixtures" / "datasets" / "succession"


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A writable copy of the fixture dataset."""
    return Path(shutil.copytree(SUCCESSION_DATASET, tmp_path / "ds"))


def _problems(folder: Path) -> list[Problem]:
    with pytest.raises(DatasetInvalid) as caught:
        read_dataset(folder)
    return caught.value.problems


def test_load_reports_counts_and_a_second_load_changes_nothing(session: Session) -> None:
    first = load_dataset(session, SUCCESSION_DATASET)
    assert first.total(Outcome.inserted) == 89
    assert first.counts["parties"][Outcome.inserted] == 29
    assert first.counts["agreements"][Outcome.inserted] == 8
    second = load_dataset(session, SUCCESSION_DATASET)
    assert (second.total(Outcome.inserted), second.total(Outcome.updated)) == (0, 0)
    assert second.total(Outcome.unchanged) == 89


def test_a_changed_record_is_updated_alone(session: Session, dataset: Path) -> None:
    load_dataset(session, dataset)
    path = dataset / "persons.yaml"
    path.write_text(path.read_text().replace("name: HAYASHI Yoshimasa", "name: HAYASHI Y."))
    report = load_dataset(session, dataset)
    assert report.counts["persons"] == {Outcome.updated: 1, Outcome.unchanged: 3}
    assert report.total(Outcome.updated) == 1


def test_invalid_value_is_reported_with_file_and_line(dataset: Path) -> None:
    path = dataset / "appointments.yaml"
    path.write_text(path.read_text().replace('start: "2020-04"}', 'start: "April 2020"}'))
    assert [str(p) for p in _problems(dataset)] == [
        "appointments.yaml:2: start: Value error, not a partial date: 'April 2020' (expected "
        "YYYY, YYYY-MM or YYYY-MM-DD, optionally prefixed by '..' for 'no later than' or by "
        "'A..' for 'not before A')"
    ]


def test_unknown_field_missing_field_and_duplicate_key(dataset: Path) -> None:
    (dataset / "posts.yaml").write_text(
        "- key: a\n  label: A\n  colour: red\n- key: b\n- key: a\n  label: again\n"
    )
    assert [str(p) for p in _problems(dataset)] == [
        "posts.yaml:3: colour: Extra inputs are not permitted",
        "posts.yaml:4: label: Field required",
        "posts.yaml:5: duplicate key 'a' (first on line 1)",
    ]


def test_yaml_syntax_error_and_unknown_file(dataset: Path) -> None:
    (dataset / "persons.yaml").write_text("- key: a\n  name: [unclosed\n")
    (dataset / "people.yaml").write_text("[]\n")
    problems = _problems(dataset)
    assert [(p.file, p.line) for p in problems] == [("people.yaml", 1), ("persons.yaml", 3)]
    assert problems[0].reason.startswith("unknown file; expected one of sources.yaml, parties.yaml")
    assert problems[1].reason.startswith("not valid YAML")


def test_missing_manifest(dataset: Path) -> None:
    (dataset / "dataset.yaml").unlink()
    assert [str(p) for p in _problems(dataset)] == [
        "dataset.yaml:1: missing: a dataset needs dataset.yaml"
    ]


def test_unknown_reference_loads_nothing(session: Session, dataset: Path) -> None:
    path = dataset / "memberships.yaml"
    path.write_text(path.read_text().replace("organisation: u-tokyo", "organisation: u-kyoto"))
    savepoint = session.begin_nested()
    with pytest.raises(DatasetInvalid) as caught:
        load_dataset(session, dataset)
    savepoint.rollback()
    assert [str(p) for p in caught.value.problems] == [
        "memberships.yaml:3: matsumoto-utokyo: organisation: no organisation with key 'u-kyoto'"
    ]
    assert session.scalar(select(func.count()).select_from(Party)) == 0


def test_export_then_load_is_lossless(session: Session, tmp_path: Path) -> None:
    load_dataset(session, SUCCESSION_DATASET)
    manifest = Manifest(name="round-trip", title="Round trip", home_party="JPN")
    written = export_dataset(session, tmp_path / "a", manifest)
    assert sum(written.values()) == 89
    before = {
        c.name: [
            snapshot(session, c, r).model_dump(mode="json")
            for r in session.scalars(select(c.model).order_by(c.model.key))
        ]
        for c in CONCEPTS
    }
    # Empty the registry (roll back to before the load) and load the export.
    session.rollback()
    report = load_dataset(session, tmp_path / "a")
    assert report.total(Outcome.inserted) == 89
    after = {
        c.name: [
            snapshot(session, c, r).model_dump(mode="json")
            for r in session.scalars(select(c.model).order_by(c.model.key))
        ]
        for c in CONCEPTS
    }
    assert after == before
    export_dataset(session, tmp_path / "b", manifest)
    for path in sorted((tmp_path / "a").iterdir()):
        assert (tmp_path / "b" / path.name).read_text() == path.read_text()


# A load never undoes a user's work.


def _edit(session: Session, concept_name: str, at: str, actor: str, **changes: object) -> None:
    concept = BY_NAME[concept_name]
    stored = record.get(session, concept, at)
    data = snapshot(session, concept, stored).model_copy(update=changes)
    record.update(session, concept, at, data, stored.version, actor)


def test_a_reload_keeps_what_users_changed_and_says_so(session: Session) -> None:
    load_dataset(session, SUCCESSION_DATASET)
    _edit(session, "engagements", "visit-matsumoto-usa-2022-06", "ann", sensitivity="restricted")
    _edit(session, "persons", "hayashi-yoshimasa", "ann", note="Foreign Minister 2021-2023")
    _edit(session, "organisations", "tohoku-u", "bob", key="tohoku-university")
    meeting = record.get(session, BY_NAME["meetings"], "jc-deu-23")
    record.remove(session, BY_NAME["meetings"], "jc-deu-23", meeting.version, "bob")

    again = load_dataset(session, SUCCESSION_DATASET)

    since = "since the dataset was loaded"
    assert again.kept == [  # in load order
        Kept(
            "organisations",
            "tohoku-u",
            f"renamed in the registry to 'tohoku-university' by bob {since}",
        ),
        Kept("persons", "hayashi-yoshimasa", f"changed in the registry by ann {since}"),
        Kept("meetings", "jc-deu-23", f"deleted in the registry by bob {since}"),
        Kept(
            "engagements", "visit-matsumoto-usa-2022-06", f"changed in the registry by ann {since}"
        ),
    ]
    assert (again.total(Outcome.kept), again.total(Outcome.updated)) == (4, 0)
    assert again.total(Outcome.inserted) == 0
    visit = record.get(session, BY_NAME["engagements"], "visit-matsumoto-usa-2022-06")
    assert (visit.sensitivity, visit.version) == (Sensitivity.restricted, 2)
    assert record.get(session, BY_NAME["persons"], "hayashi-yoshimasa").note == (
        "Foreign Minister 2021-2023"
    )
    assert record.find(session, BY_NAME["organisations"], "tohoku-u") is None
    assert record.find(session, BY_NAME["meetings"], "jc-deu-23") is None


def test_a_load_never_lowers_a_sensitivity(session: Session, dataset: Path) -> None:
    path = dataset / "persons.yaml"
    path.write_text(
        path.read_text().replace(
            "- {key: hayashi-yoshimasa, name: HAYASHI Yoshimasa}",
            "- {key: hayashi-yoshimasa, name: HAYASHI Yoshimasa, sensitivity: internal}",
        )
    )
    load_dataset(session, dataset)
    path.write_text(path.read_text().replace(", sensitivity: internal}", "}"))
    again = load_dataset(session, dataset)
    assert again.kept == [
        Kept(
            "persons",
            "hayashi-yoshimasa",
            "the dataset would lower its sensitivity from internal to public",
        )
    ]
    person = record.get(session, BY_NAME["persons"], "hayashi-yoshimasa")
    assert person.sensitivity is Sensitivity.internal


def test_a_changed_dataset_still_updates_what_no_user_touched(
    session: Session, dataset: Path
) -> None:
    load_dataset(session, dataset)
    path = dataset / "persons.yaml"
    path.write_text(path.read_text().replace("HAYASHI Yoshimasa}", "HAYASHI Yoshimasa, note: x}"))
    again = load_dataset(session, dataset)
    assert (again.total(Outcome.updated), again.kept) == (1, [])
    assert record.get(session, BY_NAME["persons"], "hayashi-yoshimasa").note == "x"


def test_an_overwrite_is_explicit_and_audited(session: Session) -> None:
    load_dataset(session, SUCCESSION_DATASET)
    _edit(session, "engagements", "visit-matsumoto-usa-2022-06", "ann", sensitivity="restricted")
    forced = load_dataset(session, SUCCESSION_DATASET, overwrite="root")
    assert (forced.kept, forced.total(Outcome.updated)) == ([], 1)
    visit = record.get(session, BY_NAME["engagements"], "visit-matsumoto-usa-2022-06")
    assert visit.sensitivity is Sensitivity.public
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.record_key == visit.key).order_by(AuditEntry.id.desc())
    ).first()
    assert entry is not None
    assert entry.actor == "dataset:succession-fixture (overwrite by root)"
    assert (entry.before or {})["sensitivity"] == "restricted"
    # The dataset wrote it last: the next plain load finds nothing to keep or change.
    after = load_dataset(session, SUCCESSION_DATASET)
    assert (after.kept, after.total(Outcome.updated)) == ([], 0)


# Hostile files: each refused with file, line and reason, and nothing loaded.

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_an_alias_bomb_is_refused_before_it_expands(dataset: Path) -> None:
    assert len(BOMB) < 1024
    (dataset / "persons.yaml").write_text(BOMB)
    # 28 nodes written: the mapping, 9 keys, 9 lists, 9 "lol"s. Expanded, list a is 10 nodes,
    # each next one 1 + 9 x the one before (91, 820 ... 435,848,050 for i): with the mapping
    # and its keys, 1 + 9 + 490,329,054 = 490,329,064.
    assert [str(p) for p in _problems(dataset)] == [
        "persons.yaml:1: not valid YAML: aliases expand 28 values to 490329064: more than "
        "10 times; refused (write the values out)"
    ]


def test_a_recursive_alias_is_refused(dataset: Path) -> None:
    (dataset / "persons.yaml").write_text("- {key: p}\n- &a [1, *a]\n")
    assert [str(p) for p in _problems(dataset)] == [
        "persons.yaml:2: not valid YAML: recursive alias: a value contains itself"
    ]


def test_shared_anchors_within_the_limit_still_load(dataset: Path) -> None:
    (dataset / "sources.yaml").write_text(
        "- {key: s1, title: &t Title shared}\n- {key: s2, title: *t}\n"
    )
    dataset_read = read_dataset(dataset)
    assert [r.title for r, _ in dataset_read.records["sources"]] == [  # type: ignore[attr-defined]
        "Title shared",
        "Title shared",
    ]


def test_a_file_that_is_not_utf8_is_refused_with_its_line(dataset: Path) -> None:
    (dataset / "persons.yaml").write_bytes(b"- {key: a, name: A}\n- {key: b, name: \xff\xfe}\n")
    (dataset / "dataset.yaml").write_bytes(b"name: x\n\x80\n")
    assert [str(p) for p in _problems(dataset)] == [
        "dataset.yaml:2: not valid YAML: not UTF-8 text: byte 0x80 cannot be read",
        "persons.yaml:2: not valid YAML: not UTF-8 text: byte 0xff cannot be read",
    ]


def test_a_cycle_of_successions_is_refused(session: Session, dataset: Path) -> None:
    path = dataset / "successions.yaml"
    path.write_text(
        path.read_text()
        + "- {key: RUS-SUHH, predecessor: RUS, successor: SUHH, kind: continuation}\n"
    )
    savepoint = session.begin_nested()
    with pytest.raises(DatasetInvalid) as caught:
        load_dataset(session, dataset)
    savepoint.rollback()
    line = len(path.read_text().splitlines())
    assert [str(p) for p in caught.value.problems] == [
        f"successions.yaml:{line}: RUS-SUHH: successor: SUHH already precedes RUS through "
        "recorded successions; a cycle of successions is refused"
    ]
    assert session.scalar(select(func.count()).select_from(Party)) == 0
