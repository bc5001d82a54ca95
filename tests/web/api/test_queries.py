"""The registry's queries over HTTP, on the succession fixture, with whole payloads."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_coverage_counts_and_explains(editor: TestClient) -> None:
    totals = editor.get("/api/v1/queries/coverage", params={"as_of": "2022-12-31"}).json()
    assert (totals["totals"], totals["states"], totals["undecided"]) == (
        {"agreements": 7, "states": 21, "organisations": 1, "undecided": 0},
        None,
        None,
    )
    params = {"as_of": "2022-12-31", "lines": "true"}
    cov = editor.get("/api/v1/queries/coverage", params=params).json()
    assert {k: cov[k] for k in ("home", "as_of", "kinds", "sentence", "organisation_codes")} == {
        "home": "JPN",
        "as_of": "2022-12-31",
        "kinds": [],
        "sentence": "7 agreements, in force with 21 countries and the EU",
        "organisation_codes": ["EU"],
    }
    assert {k: v for k, v in cov.items() if k not in ("states", "organisations", "undecided")} == {
        k: v for k, v in totals.items() if k not in ("states", "organisations", "undecided")
    }
    assert len(cov["state_codes"]) == 21 and cov["undecided"] == []
    assert [s for s in cov["states"] if s["party"] == "KAZ"] == [
        {
            "agreement": "jpn-ussr-1973",
            "title": "Agreement on Scientific and Technical Cooperation (Japan-USSR)",
            "party": "KAZ",
            "party_name": "Kazakhstan",
            "party_kind": "state",
            "covered": "yes",
            "how": "succession",
            "via": "SUHH",
            "since": "..2022",
            "ended": None,
            "reason": "through succession to SUHH's agreement",
        }
    ]
    arrangements = editor.get(
        "/api/v1/queries/coverage", params={"as_of": "2022-12-31", "kind": "arrangement"}
    ).json()
    assert (arrangements["kinds"], arrangements["agreements"]) == (
        ["arrangement"],
        ["jpn-cshh-1978"],
    )


def test_a_countrys_agreements(editor: TestClient) -> None:
    rows = editor.get("/api/v1/queries/agreements-with/RUS", params={"as_of": "2022-12-31"}).json()
    assert [(r["agreement"], r["covered"], r["how"], r["reason"]) for r in rows] == [
        ("jpn-rus-2000", "yes", "direct", "party to it"),
        ("jpn-ussr-1973", "no", "succession", "supersession by jpn-rus-2000"),
    ]
    missing = editor.get("/api/v1/queries/agreements-with/XXX")
    assert (missing.status_code, missing.json()) == (404, {"detail": "no party with key 'XXX'"})


def test_term_warnings(editor: TestClient) -> None:
    rows = editor.get(
        "/api/v1/queries/term-warnings", params={"as_of": "2026-06-01", "within_days": 180}
    ).json()
    assert rows == [
        {
            "agreement": "jpn-usa-1988",
            "title": "Agreement on Cooperation in Research and Development in Science and "
            "Technology (Japan-USA)",
            "term_end": "2026-10-20",
            "state": "expiring",
            "days_left": 141,
        }
    ]
    lapsed = editor.get("/api/v1/queries/term-warnings", params={"as_of": "2026-11-01"}).json()
    assert [(r["agreement"], r["state"], r["days_left"]) for r in lapsed] == [
        ("jpn-usa-1988", "lapsed", None)
    ]


def test_overdue_committees_and_meetings(editor: TestClient) -> None:
    rows = editor.get("/api/v1/queries/overdue-committees", params={"as_of": "2023-12-31"}).json()
    assert [(r["committee"], r["overdue"], r["reason"]) for r in rows] == [
        ("jc-usa", "unknown", "no meeting recorded"),
        ("jc-rus", "yes", "due 2020-04-09"),
    ]
    meetings = editor.get(
        "/api/v1/queries/meetings", params={"start": "2021-01-01", "end": "2024-01-01"}
    ).json()
    assert meetings == [
        {
            "key": "jc-deu-23",
            "kind": "meeting",
            "title": "Japan-Germany Joint Committee on S&T Cooperation, meeting 23",
            "date": "2021-03",
            "within": "yes",
        },
        {
            "key": "jc-deu-24",
            "kind": "meeting",
            "title": "Japan-Germany Joint Committee on S&T Cooperation, meeting 24",
            "date": "2023-02",
            "within": "yes",
        },
    ]


def test_holders_members_engagements_documents(editor: TestClient) -> None:
    holders = editor.get(
        "/api/v1/queries/holders/mofa-st-advisor", params={"as_of": "2022-01-01"}
    ).json()
    assert holders == [
        {
            "appointment": "matsumoto-advisor",
            "person": "matsumoto-yoichiro",
            "person_name": "MATSUMOTO Yoichiro",
            "start": "2020-04",
            "end": None,
            "active": "yes",
        }
    ]
    members = editor.get(
        "/api/v1/queries/members/advisory-board", params={"as_of": "2022-04-15"}
    ).json()
    assert [(m["person"], m["role"], m["active"]) for m in members] == [
        ("matsumoto-yoichiro", "chair", "yes"),
        ("kotani-motoko", "vice-chair", "unknown"),
    ]
    visits = editor.get(
        "/api/v1/queries/engagements", params={"kind": "visit", "start": "2022-07-01"}
    ).json()
    assert visits == [
        {
            "key": "visit-kotani-brussels-2022-07",
            "kind": "visit",
            "title": "Visit to Brussels",
            "date": "2022-07",
            "within": "yes",
        }
    ]
    documents = editor.get("/api/v1/queries/documents", params={"as_of": "2022-12-31"}).json()
    assert documents == [
        {
            "key": "recommendation-2022-06",
            "kind": "recommendation",
            "title": "Recommendation on strengthening the foundation of Japan's S&T capabilities",
            "date": "2022-06",
            "status": "submitted",
        }
    ]


def test_succession_suggestions(editor: TestClient) -> None:
    rows = editor.get(
        "/api/v1/queries/succession-suggestions", params={"as_of": "2022-12-31"}
    ).json()
    assert rows == [
        {
            "agreement": "jpn-ddde-1977",
            "title": "Arrangement on Scientific and Technological Cooperation (Japan-GDR)",
            "predecessor": "DDDE",
            "successor": "DEU",
            "successor_name": "Germany",
            "succession_date": "1990-10-03",
        },
        {
            "agreement": "jpn-ussr-1973",
            "title": "Agreement on Scientific and Technical Cooperation (Japan-USSR)",
            "predecessor": "SUHH",
            "successor": "AZE",
            "successor_name": "Azerbaijan",
            "succession_date": "1991-12-26",
        },
    ]


def test_coverage_from_another_side_with_home(editor: TestClient) -> None:
    """The home party comes from the loaded dataset (JPN here); ``home`` asks from another
    party's side: the EU's only agreement in the fixture is the one with Japan."""
    params = {"as_of": "2022-12-31", "lines": "true"}
    default = editor.get("/api/v1/queries/coverage", params=params).json()
    eu = editor.get("/api/v1/queries/coverage", params=params | {"home": "EU"}).json()
    assert (default["home"], eu["home"]) == ("JPN", "EU")
    assert (eu["sentence"], eu["state_codes"], eu["agreements"]) == (
        "1 agreement, in force with 1 country",
        ["JPN"],
        ["jpn-eu-2009"],
    )
    refused = editor.get("/api/v1/queries/coverage", params={"home": "not a code"})
    assert refused.status_code == 422
