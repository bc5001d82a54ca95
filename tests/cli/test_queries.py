"""The query commands print exact tables, JSON and CSV from the fixture registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from scidip.auth.models import Role
from scidip.auth.service import add_user, issue_token
from scidip.cli.main import app
from scidip.config import Settings
from scidip.db.base import Sensitivity
from scidip.db.session import make_engine, make_sessionmaker
from scidip.web.app import create_app

FIXTURE = Path(__file__).parents[1] / "fixtures" / "datasets" / "succession"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite registry with the fixture loaded, shared by the read-only tests of this module."""
    path = tmp_path_factory.mktemp("cli") / "registry.sqlite3"
    db = f"sqlite:///{path}"
    runner = CliRunner()
    assert runner.invoke(app, ["--database-url", db, "init"]).exit_code == 0
    assert runner.invoke(app, ["--database-url", db, "load", str(FIXTURE)]).exit_code == 0
    return db


def run(url: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--database-url", url, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_coverage_json(url: str, tmp_path: Path) -> None:
    args = ("agreements", "coverage", "--as-of", "2022-12-31", "-f", "json")
    totals = json.loads(run(url, *args))
    assert (totals["totals"], totals["states"]) == (
        {"agreements": 7, "states": 21, "organisations": 1, "undecided": 0},
        None,
    )
    doc = json.loads(run(url, *args, "--lines"))
    assert doc["sentence"] == "7 agreements, in force with 21 countries and the EU"
    assert (len(doc["agreements"]), len(doc["state_codes"])) == (7, 21)
    assert doc["organisation_codes"] == ["EU"]
    assert len(doc["through_succession"]) == 18
    assert doc["undecided"] == []
    assert doc["states"][0] == {
        "agreement": "jpn-cshh-1978",
        "title": "Arrangement on Scientific and Technological Cooperation (Japan-Czechoslovakia)",
        "party": "CZE",
        "party_name": "Czech Republic",
        "party_kind": "state",
        "covered": "yes",
        "how": "succession",
        "via": "CSHH",
        "since": "1993",
        "ended": None,
        "reason": "through succession to CSHH's agreement",
    }
    # The same question over HTTP gets the same answer in the same shape.
    settings = Settings(data_dir=tmp_path, database_url=url)
    with make_sessionmaker(make_engine(url)).begin() as s:
        user = add_user(s, "reader", "password-of-reader", Role.viewer, Sensitivity.restricted)
        token = issue_token(s, user)
    app_ = create_app(settings, secret="test-secret-not-for-production")
    with TestClient(app_, headers={"Authorization": f"Bearer {token}"}) as api:
        answer = api.get("/api/v1/queries/coverage", params={"as_of": "2022-12-31", "lines": True})
        short = api.get("/api/v1/queries/coverage", params={"as_of": "2022-12-31"})
    assert (answer.json(), short.json()) == (doc, totals)


def test_with_kazakhstan_csv(url: str) -> None:
    assert run(url, "agreements", "with", "KAZ", "--as-of", "2022-12-31", "-f", "csv") == (
        "agreement,title,how,via,since,ended,covered,reason\n"
        "jpn-ussr-1973,Agreement on Scientific and Technical Cooperation (Japan-USSR),"
        "succession,SUHH,..2022,,yes,through succession to SUHH's agreement\n"
    )


def test_suggestions_csv(url: str) -> None:
    assert run(url, "agreements", "suggestions", "--as-of", "2022-12-31", "-f", "csv") == (
        "agreement,predecessor,successor,successor_name,succession_date\n"
        "jpn-ddde-1977,DDDE,DEU,Germany,1990-10-03\n"
        "jpn-ussr-1973,SUHH,AZE,Azerbaijan,1991-12-26\n"
    )


def test_expiring_csv(url: str) -> None:
    out = run(
        url, "agreements", "expiring", "--within", "365", "--as-of", "2026-02-01", "-f", "csv"
    )
    assert out.splitlines()[1].endswith(",2026-10-20,expiring,261")


def test_post_holders_at_a_month_boundary(url: str) -> None:
    out = run(url, "posts", "holders", "mofa-st-advisor", "--as-of", "2020-04-15", "-f", "csv")
    assert out == (
        "person,name,start,end,active\n"
        "kishi-teruo,KISHI Teruo,2015-09,2020-04,unknown\n"
        "matsumoto-yoichiro,MATSUMOTO Yoichiro,2020-04,,unknown\n"
    )
    out = run(url, "posts", "holders", "mofa-st-advisor", "--as-of", "2020-05-01", "-f", "csv")
    assert (
        out == "person,name,start,end,active\nmatsumoto-yoichiro,MATSUMOTO Yoichiro,2020-04,,yes\n"
    )


def test_board_members_by_role(url: str) -> None:
    out = run(url, "bodies", "members", "advisory-board", "--as-of", "2022-12-31", "-f", "csv")
    assert out == (
        "person,name,role,label,start,end,active\n"
        "matsumoto-yoichiro,MATSUMOTO Yoichiro,chair,,,,yes\n"
        "kotani-motoko,KOTANI Motoko,vice-chair,,2022-04,,yes\n"
    )
    out = run(
        url,
        "bodies",
        "members",
        "advisory-board",
        "--as-of",
        "2022-03-01",
        "--role",
        "vice-chair",
        "-f",
        "csv",
    )
    assert out == "person,name,role,label,start,end,active\n"


def test_committees_overdue(url: str) -> None:
    assert run(url, "committees", "overdue", "--as-of", "2022-12-31", "-f", "csv") == (
        "committee,name,cadence_months,last_meeting,next_due,overdue,reason\n"
        "jc-usa,Japan-US Joint High Level Committee,24,,,unknown,no meeting recorded\n"
        "jc-rus,Japan-Russia Joint Committee on S&T Cooperation,24,2018-04-09,2020-04-09,yes,"
        "due 2020-04-09\n"
    )
    # Germany met in 2023-02: next due 2025-02, which 2025-02-15 cannot place.
    out = run(url, "committees", "overdue", "--as-of", "2025-02-15", "-f", "csv")
    assert (
        "jc-deu,Japan-Germany Joint Committee on S&T Cooperation,24,2023-02,2025-02,unknown," in out
    )


def test_meetings_in_a_year(url: str) -> None:
    assert run(url, "committees", "meetings", "2023", "-f", "csv") == (
        "key,committee,number,date,place,mode,within\n"
        "jc-deu-24,jc-deu,24,2023-02,Tokyo,in_person,yes\n"
    )


def test_engagements_by_person_and_period(url: str) -> None:
    out = run(
        url, "engagements", "list", "--period", "2022-07", "--person", "kotani-motoko", "-f", "csv"
    )
    assert out == (
        "key,kind,date,title,places,participants,within\n"
        "visit-kotani-brussels-2022-07,visit,2022-07,Visit to Brussels,Brussels (BEL),"
        "kotani-motoko,yes\n"
    )


def test_recommendations_and_status(url: str) -> None:
    out = run(
        url, "documents", "list", "--kind", "recommendation", "--as-of", "2022-12-31", "-f", "csv"
    )
    assert out == (
        "document,kind,date,title,authors,addressee,status\n"
        "recommendation-2022-06,recommendation,2022-06,Recommendation on strengthening the "
        "foundation of Japan's S&T capabilities,kotani-motoko; matsumoto-yoichiro,"
        "HAYASHI Yoshimasa,submitted\n"
    )
    out = run(url, "documents", "list", "--as-of", "2022-05-31", "-f", "csv")
    assert out == "document,kind,date,title,authors,addressee,status\n"


def test_people_find_by_japanese_alias(url: str) -> None:
    assert run(url, "people", "find", "松本", "-f", "csv") == (
        "person,name,other_names\nmatsumoto-yoichiro,MATSUMOTO Yoichiro,松本洋一郎\n"
    )


def test_bad_as_of_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["agreements", "coverage", "--as-of", "31/12/2022"])
    assert result.exit_code == 2
    assert "'31/12/2022' is not a date (YYYY-MM-DD)" in result.output
