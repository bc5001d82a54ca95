"""The forms' fields read from the schemas, and form values both ways (a record shown in a form,
a submitted form read as data), with exact values."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from scidip.registry.agreement.service import AGREEMENT
from scidip.registry.committee.service import MEETING
from scidip.registry.concepts import BY_NAME, CONCEPTS
from scidip.registry.visibility import reference_fields, relationship
from scidip.web.pages.formdata import (
    Problems,
    add_row,
    date_parts,
    explain,
    read,
    read_date,
    remove_row,
    shown,
)
from scidip.web.pages.formspec import REFERS_TO, find_field, form_fields, problem_label


def test_every_reference_field_names_its_concept() -> None:
    assert set(REFERS_TO) == reference_fields()
    assert set(REFERS_TO.values()) <= set(BY_NAME)
    # Where the reference is a relationship, the table agrees with it.
    by_model = {c.model: c.name for c in CONCEPTS}
    for concept in CONCEPTS:
        for name in concept.schema.model_fields:
            relation = relationship(concept, name)
            if name in REFERS_TO and relation is not None:
                assert by_model[relation.mapper.class_] == REFERS_TO[name], (concept.name, name)


def test_the_meeting_form_has_a_widget_for_each_field() -> None:
    fields = form_fields(MEETING)
    assert [(f.name, f.kind, f.required, f.target) for f in fields] == [
        ("key", "text", True, None),
        ("sensitivity", "choice", False, None),
        ("committee", "ref", True, "committees"),
        ("number", "number", False, None),
        ("date", "date", False, None),
        ("end", "date", False, None),
        ("place", "text", False, None),
        ("mode", "choice", False, None),
        ("delegations", "rows", False, None),
        ("sectors", "texts", False, None),
        ("outcomes", "long", False, None),
        ("action_items", "rows", False, None),
        ("note", "long", False, None),
        ("sources", "rows", False, None),
    ]
    delegation = find_field(fields, "delegations.0.members")
    assert delegation is not None and (delegation.kind, delegation.noun) == ("texts", "member")
    item = fields[11]
    assert [(f.name, f.kind, f.default) for f in item.fields] == [
        ("description", "long", ""),
        ("owner", "text", ""),
        ("due", "date", ""),
        ("status", "choice", "open"),
    ]
    assert fields[1].choices == ("public", "internal", "restricted")
    assert problem_label(fields, "action_items.1.due") == "Action item 2, due"
    assert problem_label(fields, "_") == ""


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("2022", {"year": "2022", "month": "", "day": "", "nlt": "", "nb": ""}),
        ("..2022-06", {"year": "2022", "month": "6", "day": "", "nlt": "1", "nb": ""}),
        ("2022-06-05", {"year": "2022", "month": "6", "day": "5", "nlt": "", "nb": ""}),
        ("2001-03..2022", {"year": "2022", "month": "", "day": "", "nlt": "1", "nb": "2001-03"}),
        (None, {"year": "", "month": "", "day": "", "nlt": "", "nb": ""}),
    ],
)
def test_a_partial_date_goes_to_the_widget_and_back(
    text: str | None, parts: dict[str, str]
) -> None:
    assert date_parts(text) == parts
    values = {f"d.{k}": v for k, v in parts.items()}
    problems = Problems()
    assert read_date(values, "d", problems) == text and problems == {}


@pytest.mark.parametrize(
    ("parts", "problem"),
    [
        ({"year": "22"}, "Give the year as four digits, e.g. 2022."),
        ({"month": "3"}, "Give the year as four digits, e.g. 2022."),
        ({"year": "2022", "day": "3"}, "A day needs its month."),
        ({"year": "2022", "month": "13"}, "The month is a number from 1 to 12."),
        ({"year": "2023", "month": "2", "day": "29"}, "There is no day 29 in 2023-02."),
        ({"nb": "2001"}, "A lower bound (not before) needs the date it is no later than."),
        (
            {"year": "2022", "nb": "2001/03"},
            "Give 'not before' as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2001.",
        ),
        (
            {"year": "2022", "nb": "..2001"},
            "Give 'not before' as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2001.",
        ),
    ],
)
def test_a_date_that_does_not_exist_is_said_in_plain_words(
    parts: dict[str, str], problem: str
) -> None:
    problems = Problems()
    assert read_date({f"d.{k}": v for k, v in parts.items()}, "d", problems) is None
    assert problems == {"d": problem}


PAYLOAD = {
    "key": "jc-deu-25",
    "sensitivity": "public",
    "sources": [{"source": "bluebook-2023", "locator": "p. 3"}],
    "committee": "jc-deu",
    "number": 25,
    "date": "..2025-03",
    "place": None,
    "mode": "online",
    "delegations": [{"party": "DEU", "head": None, "members": ["A", "B"]}],
    "sectors": ["quantum"],
    "outcomes": None,
    "action_items": [{"description": "Exchange", "owner": None, "due": "2026", "status": "open"}],
    "end": None,
    "note": None,
}


def test_a_record_is_shown_as_flat_values_and_read_back() -> None:
    fields = form_fields(MEETING)
    values = shown(fields, PAYLOAD)
    assert values == {
        "key": "jc-deu-25",
        "sensitivity": "public",
        "committee": "jc-deu",
        "number": "25",
        "date.year": "2025",
        "date.month": "3",
        "date.day": "",
        "date.nlt": "1",
        "date.nb": "",
        "end.year": "",
        "end.month": "",
        "end.day": "",
        "end.nlt": "",
        "end.nb": "",
        "place": "",
        "mode": "online",
        "_count.delegations": 1,
        "delegations.0.party": "DEU",
        "delegations.0.head": "",
        "_count.delegations.0.members": 2,
        "delegations.0.members.0": "A",
        "delegations.0.members.1": "B",
        "_count.sectors": 1,
        "sectors.0": "quantum",
        "outcomes": "",
        "_count.action_items": 1,
        "action_items.0.description": "Exchange",
        "action_items.0.owner": "",
        "action_items.0.due.year": "2026",
        "action_items.0.due.month": "",
        "action_items.0.due.day": "",
        "action_items.0.due.nlt": "",
        "action_items.0.due.nb": "",
        "action_items.0.status": "open",
        "note": "",
        "_count.sources": 1,
        "sources.0.source": "bluebook-2023",
        "sources.0.locator": "p. 3",
    }
    problems = Problems()
    data = read(fields, values, problems)
    assert problems == {}
    # Empty optional fields are left to the schema's defaults: the same record.
    assert MEETING.schema.model_validate(data).model_dump(mode="json") == PAYLOAD


def test_rows_are_added_removed_and_empty_ones_dropped() -> None:
    fields = form_fields(MEETING)
    values = add_row(shown(fields, PAYLOAD), "action_items")
    assert values["_count.action_items"] == 2
    values["action_items.1.description"] = "Second"
    values = add_row(values, "action_items")  # a third row left empty: dropped on save
    problems = Problems()
    items = read(fields, values, problems)["action_items"]
    assert [i["description"] for i in items] == ["Exchange", "Second"]
    values = remove_row(values, "action_items.0")
    assert values["_count.action_items"] == 2
    assert values["action_items.0.description"] == "Second"
    assert "action_items.0.due.year" not in values  # the removed row's parts went with it
    values = remove_row(values, "delegations.0.members.0")
    assert (values["_count.delegations.0.members"], values["delegations.0.members.0"]) == (1, "B")


def test_the_schemas_refusals_are_put_in_plain_words() -> None:
    problems = Problems()
    data = {"key": "has space", "committee": "c", "number": 0, "action_items": [{"owner": "x"}]}
    with pytest.raises(ValidationError) as refused:
        MEETING.schema.model_validate(data)
    explain(refused.value, problems)
    assert problems == {
        "key": "Use only letters, digits and . _ : / - (no spaces).",
        "number": "Must be more than 0.",
        "action_items.0.description": "Required: please fill this in.",
    }
    problems = Problems()
    with pytest.raises(ValidationError) as refused:
        AGREEMENT.schema.model_validate(
            {"key": "a", "title": "t", "kind": "agreement", "actions": [{"kind": "succession"}]}
        )
    explain(refused.value, problems)
    assert problems == {
        "actions.0": "A succession names the successor (party) and the predecessor (via)"
    }


def test_pages_say_a_bounded_date_in_words() -> None:
    from scidip.dates import PartialDate
    from scidip.web.pages.context import when

    values = [None, "2022", "..2022", PartialDate.parse("2001..2022-06")]
    assert [when(v) for v in values] == [
        "",
        "2022",
        "no later than 2022",
        "not before 2001, no later than 2022-06",
    ]
