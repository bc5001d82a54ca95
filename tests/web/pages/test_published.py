"""The dashboard states the published figures beside the registry's, linked to the
reconciliation, with the agreements the registry cannot decide and the successor states
awaiting a decision."""

from __future__ import annotations

import re

from fastapi import FastAPI
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.concepts import BY_NAME
from scidip.registry.figure.service import FIGURE

from .test_pages import login

STATEMENT = "Japan has 9 agreements, in force with 30 countries and the EU."


def _figures(db: Session) -> None:
    for metric, value, parties in (
        ("agreements", 9, []),
        ("states", 30, []),
        ("organisations", 1, ["EU"]),
    ):
        data = FIGURE.schema.model_validate(
            {
                "key": f"test-2022-{metric}",
                "statement": STATEMENT,
                "home_party": "JPN",
                "metric": metric,
                "value": value,
                "as_of": "2022",
                "parties": parties,
                "sources": [{"source": "bluebook-2023"}],
            }
        )
        record.create(db, FIGURE, data, "test")


def _signed_only(db: Session) -> None:
    """An agreement signed in 2020 whose entry into force is not recorded: undecided."""
    agreements = BY_NAME["agreements"]
    data = agreements.schema.model_validate(
        {
            "key": "jpn-kaz-2020",
            "title": "Agreement on S&T Cooperation (Japan-Kazakhstan)",
            "kind": "agreement",
            "actions": [
                {"kind": "signature", "party": "JPN", "taken": "2020-05-11"},
                {"kind": "signature", "party": "KAZ", "taken": "2020-05-11"},
            ],
        }
    )
    record.create(db, agreements, data, "test")


def _text(html: str, element_id: str) -> str:
    part = html.split(f'id="{element_id}"')[1].split("</div>")[0].split("</ul>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", part.split(">", 1)[1]).split())


def test_the_dashboard_states_the_published_figures_beside_the_registrys(
    app: FastAPI, db: Session
) -> None:
    _figures(db)
    _signed_only(db)
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    page = client.get("/", params={"as_of": "2023-06-30"}).text
    assert _text(page, "published").startswith(
        "Registry 7 / 21 + EU — Diplomatic Bluebook 2023: 9 / 30 + EU — 1 undecided "
        "(agreements / countries, on 2022-12-31"
    )
    assert _text(page, "undecided") == (
        "Agreement on S&amp;T Cooperation (Japan-Kazakhstan) — no entry into force or "
        "succession recorded"
    )
    assert _text(page, "awaiting") == "Azerbaijan — successor of SUHH (jpn-ussr-1973)"
    assert 'href="/api/v1/reports/reconcile?format=html&amp;as_of=2023-06-30"' in page
    # Before the figures' day there is nothing to set beside.
    assert 'id="published"' not in client.get("/", params={"as_of": "2022-06-30"}).text
