"""The forms that write records: new, edit, one more row of a list, end, delete, the pickers'
lookup; a refused form keeps what was typed and writes nothing; clearance applies throughout."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.dates import PartialDate
from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.audit.models import AuditEntry
from scidip.registry.committee.service import MEETING
from scidip.registry.person.service import PERSON

from .test_pages import _hidden, login


def _csrf(client: TestClient, url: str) -> tuple[str, str]:
    page = client.get(url)
    assert page.status_code == 200, page.text
    return page.text, _hidden(page.text, "csrf_token")


def _audit_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(AuditEntry)) or 0


MEETING_FORM = {
    "key": "jc-deu-25",
    "sensitivity": "public",
    "committee": "jc-deu",
    "number": "25",
    "date.year": "2025",
    "date.month": "3",
    "date.day": "",
    "place": "Berlin",
    "mode": "in_person",
    "_count.delegations": "1",
    "delegations.0.party": "DEU",
    "delegations.0.head": "Dr. Example",
    "_count.delegations.0.members": "2",
    "delegations.0.members.0": "A. Member",
    "delegations.0.members.1": "",
    "_count.sectors": "2",
    "sectors.0": "quantum",
    "sectors.1": "hydrogen",
    "_count.action_items": "2",
    "action_items.0.description": "Exchange researchers",
    "action_items.0.owner": "MOFA",
    "action_items.0.due.year": "2026",
    "action_items.0.status": "open",
    "action_items.1.description": "Joint call on hydrogen",
    "action_items.1.due.year": "2025",
    "action_items.1.due.month": "12",
    "action_items.1.due.nlt": "1",
    "action_items.1.status": "in_progress",
    "_count.sources": "1",
    "sources.0.source": "bluebook-2023",
    "sources.0.locator": "p. 3",
}


def test_a_meeting_is_created_from_the_form_with_its_lists(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.editor, Sensitivity.restricted)
    html, token = _csrf(client, "/records/meetings/new?committee=jc-deu")
    assert 'name="committee" value="jc-deu"' in html
    assert (
        '<select id="f-mode" name="mode" aria-describedby="h-mode"><option value=""></option>'
        in html
    )
    # What the picked key names is shown beside it.
    assert (
        '<span class="muted picked" id="p-f-committee">'
        "Japan-Germany Joint Committee on S&amp;T Cooperation</span>"
    ) in html
    done = client.post(
        "/records/meetings/new?committee=jc-deu", data=MEETING_FORM | {"csrf_token": token}
    )
    assert (done.status_code, done.headers["location"]) == (303, "/records/meetings/jc-deu-25")
    stored = record.snapshot(db, MEETING, record.get(db, MEETING, "jc-deu-25"))
    assert stored.model_dump(mode="json") == {
        "key": "jc-deu-25",
        "sensitivity": "public",
        "sources": [{"source": "bluebook-2023", "locator": "p. 3"}],
        "committee": "jc-deu",
        "number": 25,
        "date": "2025-03",
        "end": None,
        "place": "Berlin",
        "mode": "in_person",
        "delegations": [{"party": "DEU", "head": "Dr. Example", "members": ["A. Member"]}],
        "sectors": ["quantum", "hydrogen"],
        "outcomes": None,
        "action_items": [
            {
                "description": "Exchange researchers",
                "owner": "MOFA",
                "due": "2026",
                "status": "open",
            },
            {
                "description": "Joint call on hydrogen",
                "owner": None,
                "due": "..2025-12",
                "status": "in_progress",
            },
        ],
        "note": None,
    }


def test_a_refused_form_keeps_what_was_typed_and_writes_nothing(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.editor, Sensitivity.restricted)
    _, token = _csrf(client, "/records/meetings/new")
    before = _audit_count(db)
    bad = MEETING_FORM | {
        "csrf_token": token,
        "committee": "no-such-committee",
        "date.month": "13",
        "number": "twenty",
        "action_items.1.description": "",
    }
    refused = client.post("/records/meetings/new", data=bad)
    assert refused.status_code == 422
    html = refused.text
    # Each problem beside its field, tied to it for screen readers; the first one has the focus.
    assert re.search(
        r'<div class="error" id="e-date">The month is a number from 1 to 12.</div>', html
    )
    assert re.search(r'<div class="error" id="e-number">Enter a whole number, e.g. 3.</div>', html)
    assert (
        'id="f-number" name="number" value="twenty" class="number" '
        'aria-describedby="h-number e-number" aria-invalid="true" autofocus' in html
    )
    assert html.count(" autofocus") == 1
    # What was typed is all there.
    assert 'value="no-such-committee"' in html and 'value="twenty"' in html
    assert re.search(r'name="action_items.0.description" rows="3"[^>]*>Exchange researchers<', html)
    assert 'name="sectors.1" value="hydrogen"' in html
    assert 'name="delegations.0.members.0" value="A. Member"' in html
    assert _audit_count(db) == before
    assert record.find(db, MEETING, "jc-deu-25") is None

    # Once the form's own problems are fixed, the registry's (a missing committee) come beside
    # their field too.
    fixed = bad | {"date.month": "3", "number": "25", "action_items.1.description": "Call"}
    refused = client.post("/records/meetings/new", data=fixed)
    assert refused.status_code == 422
    assert (
        '<div class="error" id="e-committee">'
        "No joint committee with key &#39;no-such-committee&#39;.</div>" in refused.text
    )
    # A required field left empty is said in plain words.
    empty = fixed | {
        "committee": "jc-deu",
        "action_items.1.description": "",
        "action_items.1.owner": "X",
    }
    refused = client.post("/records/meetings/new", data=empty)
    assert refused.status_code == 422
    assert (
        '<div class="error" id="e-action_items-1-description">Required: please fill this in.</div>'
        in refused.text
    )
    assert _audit_count(db) == before


def test_list_editors_add_and_remove_rows_without_saving(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.editor, Sensitivity.restricted)
    _, token = _csrf(client, "/records/meetings/new")
    added = client.post(
        "/records/meetings/new",
        data=MEETING_FORM | {"csrf_token": token, "_add": "action_items"},
    )
    assert added.status_code == 200
    assert 'name="_count.action_items" value="3"' in added.text
    assert 'id="f-action_items-2-description"' in added.text
    removed = client.post(
        "/records/meetings/new",
        data=MEETING_FORM | {"csrf_token": token, "_remove": "action_items.0"},
    )
    assert 'name="_count.action_items" value="1"' in removed.text
    # Row 1 moved up to row 0, with all its parts.
    assert re.search(
        r'name="action_items.0.description" rows="3"[^>]*>Joint call on hydrogen<', removed.text
    )
    assert 'name="action_items.0.due.nlt" value="1" checked' in removed.text
    assert record.find(db, MEETING, "jc-deu-25") is None


def test_an_action_is_added_to_an_agreement_over_the_version_read(
    app: FastAPI, db: Session
) -> None:
    client = login(app, db, Role.editor, Sensitivity.restricted)
    html, token = _csrf(client, "/records/agreements/jpn-deu-1974/add/actions?kind=extension")
    assert '<option value="extension" selected>' in html
    version = _hidden(html, "version")
    form = {
        "csrf_token": token,
        "version": version,
        "kind": "extension",
        "party": "",
        "taken.year": "2024",
        "until.year": "2030",
        "_count.sources": "0",
    }
    done = client.post("/records/agreements/jpn-deu-1974/add/actions", data=form)
    assert (done.status_code, done.headers["location"]) == (303, "/records/agreements/jpn-deu-1974")
    agreement = client.get("/api/v1/agreements/jpn-deu-1974").json()
    assert agreement["actions"][-1] == {
        "kind": "extension",
        "party": None,
        "taken": "2024",
        "effective": None,
        "until": "2030",
        "via": None,
        "replaced_by": None,
        "note": None,
        "sources": [],
    }
    # The same form again names a version that is no longer current: 409, nothing written.
    stale = client.post("/records/agreements/jpn-deu-1974/add/actions", data=form)
    assert stale.status_code == 409
    assert 'id="conflict"' in stale.text
    assert len(client.get("/api/v1/agreements/jpn-deu-1974").json()["actions"]) == 4
    # The schema's own rule, in its words, beside the row.
    wrong = client.post(
        "/records/agreements/jpn-deu-1974/add/actions",
        data=form | {"version": str(int(version) + 1), "kind": "signature"},
    )
    assert wrong.status_code == 422
    assert "&#39;until&#39; closes the term of an entry into force or an extension" in wrong.text


def test_edit_keeps_hidden_references_and_delete_asks_and_checks_the_version(
    app: FastAPI, db: Session
) -> None:
    client = login(app, db, Role.editor, Sensitivity.restricted)
    html, token = _csrf(client, "/records/persons/kishi-teruo/edit")
    assert 'name="other_names.0.name" value="岸輝雄"' in html
    version = _hidden(html, "version")
    form = {
        "csrf_token": token,
        "version": version,
        "key": "kishi-teruo",
        "sensitivity": "public",
        "name": "KISHI Teruo",
        "family_name": "KISHI",
        "given_name": "Teruo",
        "_count.other_names": "1",
        "other_names.0.name": "岸輝雄",
        "other_names.0.lang": "ja",
        "note": "Edited",
        "_count.sources": "0",
    }
    done = client.post("/records/persons/kishi-teruo/edit", data=form)
    assert done.status_code == 303
    assert client.get("/api/v1/persons/kishi-teruo").json()["note"] == "Edited"
    stale = client.post("/records/persons/kishi-teruo/edit", data=form | {"note": "Again"})
    assert stale.status_code == 409
    assert client.get("/api/v1/persons/kishi-teruo").json()["note"] == "Edited"

    # Delete: confirmation with the version, a stale one refused, a referenced one refused.
    html, token = _csrf(client, "/records/persons/hayashi-yoshimasa/delete")
    assert "Delete person hayashi-yoshimasa?" in html
    refused = client.post(
        "/records/persons/kishi-teruo/delete", data={"csrf_token": token, "version": "1"}
    )
    assert refused.status_code == 409
    assert "is at version 2, not 1" in refused.text
    assert record.find(db, PERSON, "kishi-teruo") is not None
    deleted = client.post(
        "/records/meetings/jc-deu-23/delete", data={"csrf_token": token, "version": "1"}
    )
    assert deleted.status_code == 200
    assert "The committee meeting jc-deu-23 was deleted" in deleted.text
    assert record.find(db, MEETING, "jc-deu-23") is None
    entry = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and (entry.action, entry.record_key) == ("delete", "jc-deu-23")


def test_an_appointment_is_ended_on_a_partial_date(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.editor, Sensitivity.restricted)
    key = "matsumoto-advisor"
    html, token = _csrf(client, f"/records/appointments/{key}/end")
    version = _hidden(html, "version")
    refused = client.post(
        f"/records/appointments/{key}/end",
        data={"csrf_token": token, "version": version, "on.year": "", "on.month": "4"},
    )
    assert refused.status_code == 422 and "Give the year as four digits, e.g. 2022." in refused.text
    done = client.post(
        f"/records/appointments/{key}/end",
        data={"csrf_token": token, "version": version, "on.year": "2031", "on.month": "4"},
    )
    assert done.status_code == 303
    assert client.get(f"/api/v1/appointments/{key}").json()["end"] == "2031-04"


def test_a_public_editor_cannot_pick_or_name_a_hidden_record(app: FastAPI, db: Session) -> None:
    kotani = record.get(db, PERSON, "kotani-motoko")
    kotani.sensitivity = Sensitivity.restricted
    db.flush()
    client = login(app, db, Role.editor, Sensitivity.public)
    # The picker's lookup finds by name, English or Japanese, only what the reader may see.
    assert client.get("/lookup/persons?q=小谷").json() == []
    assert client.get("/lookup/persons?q=松本").json() == [
        {"key": "matsumoto-yoichiro", "label": "MATSUMOTO Yoichiro 松本洋一郎"}
    ]
    assert client.get("/lookup/parties?q=kazakh").json() == [{"key": "KAZ", "label": "Kazakhstan"}]
    # Naming it anyway is answered as for a key that does not exist.
    html, token = _csrf(client, "/records/engagements/new")
    # A required choice starts unchosen, so that nothing is recorded by default.
    assert (
        '<select id="f-kind" name="kind" aria-describedby="h-kind"><option value="">— choose —'
        in html
    )
    # Only the sensitivity they may write is offered.
    assert '<option value="public" selected>public</option></select>' in html
    assert 'value="internal"' not in html and 'value="restricted"' not in html
    form = {
        "csrf_token": token,
        "key": "visit-x",
        "sensitivity": "public",
        "kind": "visit",
        "title": "A visit",
        "_count.participants": "2",
        "participants.0": "kotani-motoko",
        "participants.1": "nobody-at-all",
    }
    hidden = client.post("/records/engagements/new", data=form)
    missing = client.post(
        "/records/engagements/new", data=form | {"participants.0": "nobody-at-all"}
    )
    assert hidden.status_code == missing.status_code == 422
    assert "No person with key &#39;kotani-motoko&#39;." in hidden.text
    assert "KOTANI" not in hidden.text and "小谷" not in hidden.text  # no label beside it
    assert "No person with key &#39;nobody-at-all&#39;." in missing.text


def test_viewers_get_no_form(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    assert client.get("/records/meetings/new").status_code == 403
    assert client.get("/records/persons/kishi-teruo/edit").status_code == 403
    assert client.get("/records/persons/kishi-teruo/delete").status_code == 403


def _tag(html: str, element_id: str) -> str:
    found = re.search(rf'<(?:input|select|textarea)[^>]* id="{element_id}"[^>]*>', html)
    assert found is not None, element_id
    return found.group(0)


def test_a_hidden_or_unknown_key_in_a_list_is_refused_beside_its_row(
    app: FastAPI, db: Session
) -> None:
    kotani = record.get(db, PERSON, "kotani-motoko")
    kotani.sensitivity = Sensitivity.restricted
    db.flush()
    client = login(app, db, Role.editor, Sensitivity.public)
    _, token = _csrf(client, "/records/engagements/new")
    form = {
        "csrf_token": token,
        "key": "visit-y",
        "sensitivity": "public",
        "kind": "visit",
        "title": "A visit",
        "_count.participants": "3",
        "participants.0": "matsumoto-yoichiro",
        "participants.1": "kotani-motoko",  # hidden from a public editor
        "participants.2": "",
    }
    for key in ("kotani-motoko", "nobody-at-all"):
        refused = client.post("/records/engagements/new", data=form | {"participants.1": key})
        assert refused.status_code == 422
        html = refused.text
        message = f"No person with key &#39;{key}&#39;."
        # Beside the second row, tied to its input; nothing above the list.
        assert f'<div class="error" id="e-participants-1">{message}</div></li>' in html
        row = _tag(html, "f-participants-1")
        assert (
            'aria-invalid="true"' in row
            and 'aria-describedby="h-participants e-participants-1"' in row
        )
        assert "autofocus" in row
        assert 'id="e-participants"' not in html
        assert "aria-invalid" not in _tag(html, "f-participants-0")
        # The summary names the row and links to it.
        assert f'<a href="#field-participants-1">Participant 2</a>: {message}' in html
        assert '<li id="field-participants-1">' in html
        assert 'name="participants.1" value="' + key + '"' in html  # kept as typed
    assert client.get("/api/v1/engagements/visit-y").status_code == 404  # nothing written


def test_an_unknown_key_in_a_rows_picker_is_refused_beside_that_row(
    app: FastAPI, db: Session
) -> None:
    client = login(app, db, Role.editor, Sensitivity.restricted)
    _, token = _csrf(client, "/records/meetings/new?committee=jc-deu")
    second = {"delegations.1.party": "XYZ", "delegations.1.head": "Someone"}
    form = MEETING_FORM | {"csrf_token": token, "_count.delegations": "2"} | second
    refused = client.post("/records/meetings/new", data=form)
    assert refused.status_code == 422
    message = "No party with key &#39;XYZ&#39;."
    assert f'<div class="error" id="e-delegations-1-party">{message}</div>' in refused.text
    picker = _tag(refused.text, "f-delegations-1-party")
    assert 'aria-invalid="true"' in picker and "e-delegations-1-party" in picker
    assert "aria-invalid" not in _tag(refused.text, "f-delegations-0-party")
    sources = MEETING_FORM | {"csrf_token": token, "sources.0.source": "no-such-source"}
    refused = client.post("/records/meetings/new", data=sources)
    assert refused.status_code == 422
    assert (
        '<div class="error" id="e-sources-0-source">No source with key &#39;no-such-source&#39;.'
        in refused.text
    )
    assert 'aria-invalid="true"' in _tag(refused.text, "f-sources-0-source")


def test_an_unknown_key_in_one_more_row_is_refused_beside_its_field(
    app: FastAPI, db: Session
) -> None:
    client = login(app, db, Role.editor, Sensitivity.restricted)
    url = "/records/agreements/jpn-deu-1974/add/actions"
    html, token = _csrf(client, url + "?kind=signature")
    form = {"csrf_token": token, "version": _hidden(html, "version"), "kind": "signature",
            "party": "XYZ", "taken.year": "1974", "_count.sources": "2",
            "sources.0.source": "bluebook-2023", "sources.1.source": "no-such-source"}  # fmt: skip
    refused = client.post(url, data=form)
    assert refused.status_code == 422
    # The registry names "actions.party"; the form of one action calls it "party".
    assert '<div class="error" id="e-party">No party with key &#39;XYZ&#39;.</div>' in refused.text
    assert 'aria-invalid="true"' in _tag(refused.text, "f-party")
    refused = client.post(url, data=form | {"party": "DEU"})
    assert refused.status_code == 422
    assert (
        '<div class="error" id="e-sources-1-source">No source with key &#39;no-such-source&#39;.'
        in refused.text
    )
    assert "aria-invalid" not in _tag(refused.text, "f-sources-0-source")
    # An action keeps its sources with it (not as citations): they are checked all the same.
    assert len(client.get("/api/v1/agreements/jpn-deu-1974").json()["actions"]) == 3


def test_the_new_fields_appear_in_the_forms_and_save(app: FastAPI, db: Session) -> None:
    """A meeting over several days with a note and a date known only between two bounds; a
    body's dated size; a post's Japanese name: typed in the generated forms, saved as typed."""
    from scidip.registry.body.service import ORGANISATION
    from scidip.registry.post.service import POST

    client = login(app, db, Role.editor, Sensitivity.restricted)
    html, token = _csrf(client, "/records/meetings/new?committee=jc-deu")
    for name in ("end.year", "end.nb", "date.nb", "note"):
        assert f'name="{name}"' in html
    form = MEETING_FORM | {
        "csrf_token": token,
        "date.nb": "2024-11",
        "date.nlt": "",  # implied by the lower bound
        "end.year": "2025",
        "end.month": "3",
        "end.day": "",
        "note": "Held over several days; the first day is known only within bounds.",
    }
    done = client.post("/records/meetings/new?committee=jc-deu", data=form)
    assert done.status_code == 303, done.text
    stored = record.snapshot(db, MEETING, record.get(db, MEETING, "jc-deu-25"))
    assert (stored.date, stored.end, stored.note) == (
        PartialDate.parse("2024-11..2025-03"),
        PartialDate.parse("2025-03"),
        "Held over several days; the first day is known only within bounds.",
    )
    edit = client.get("/records/meetings/jc-deu-25/edit")
    assert 'name="date.nb" value="2024-11"' in edit.text

    html, token = _csrf(client, "/records/organisations/new")
    assert 'name="_count.sizes"' in html
    done = client.post(
        "/records/organisations/new",
        data={
            "csrf_token": token,
            "key": "test-board",
            "sensitivity": "public",
            "name": "Test board",
            "kind": "advisory_board",
            "_count.sizes": "1",
            "sizes.0.members": "20",
            "sizes.0.as_of.year": "2020",
            "sizes.0.as_of.month": "9",
            "_count.sizes.0.sources": "1",
            "sizes.0.sources.0.source": "bluebook-2023",
            "_count.other_names": "0",
            "_count.sources": "0",
        },
    )
    assert done.status_code == 303, done.text
    board = record.snapshot(db, ORGANISATION, record.get(db, ORGANISATION, "test-board"))
    assert board.model_dump(mode="json")["sizes"] == [
        {
            "members": 20,
            "as_of": "2020-09",
            "note": None,
            "sources": [{"source": "bluebook-2023", "locator": ""}],
        }
    ]

    html, token = _csrf(client, "/records/posts/new")
    assert 'name="_count.other_names"' in html
    done = client.post(
        "/records/posts/new",
        data={
            "csrf_token": token,
            "key": "test-advisor",
            "sensitivity": "public",
            "label": "Science and Technology Advisor",
            "_count.other_names": "1",
            "other_names.0.name": "科学技術顧問",
            "other_names.0.lang": "ja",
            "_count.sources": "0",
        },
    )
    assert done.status_code == 303, done.text
    post = record.snapshot(db, POST, record.get(db, POST, "test-advisor"))
    assert post.model_dump(mode="json")["other_names"] == [
        {"name": "科学技術顧問", "lang": "ja", "note": None}
    ]
    # Found by its Japanese name, like a person.
    found = client.get("/api/v1/posts", params={"q": "技術顧問"}).json()
    assert [p["key"] for p in found["items"]] == ["test-advisor"]
