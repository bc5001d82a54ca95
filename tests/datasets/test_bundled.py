"""The bundled japan-mofa dataset: it loads, every record cites a source, and its succession facts
give the Bluebook's 10 + 2 + 6 states."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.datasets.bundled import bundled_datasets, resolve_dataset
from scidip.datasets.loader import load_dataset, read_dataset
from scidip.registry.agreement.coverage import coverage
from scidip.registry.agreement.queries import succession_suggestions
from scidip.registry.concepts import CONCEPTS
from scidip.registry.post.service import holders
from scidip.registry.record import Outcome, snapshot


def test_japan_mofa_is_bundled() -> None:
    assert bundled_datasets()["japan-mofa"].home_party == "JPN"


def test_every_record_but_the_sources_themselves_cites_a_source() -> None:
    dataset = read_dataset(resolve_dataset("japan-mofa"))
    uncited = [
        (name, record.key)
        for name, records in dataset.records.items()
        for record, _line in records
        if name != "sources" and not record.sources
    ]
    assert uncited == []
    actions = [
        (record.key, action.kind.value, action.party)
        for record, _line in dataset.records["agreements"]
        for action in record.actions  # type: ignore[attr-defined]
        if not action.sources
    ]
    assert actions == []


def test_successions_of_the_three_predecessor_states(session: Session) -> None:
    report = load_dataset(session, resolve_dataset("japan-mofa"))
    assert report.total(Outcome.updated) == 0
    cov = coverage(session, "JPN", date(2022, 12, 31))
    by_predecessor: dict[str, list[str]] = {}
    for status in cov.states:
        if status.how == "succession":
            by_predecessor.setdefault(str(status.via), []).append(status.party)
    assert {k: sorted(v) for k, v in by_predecessor.items()} == {
        "SUHH": ["ARM", "BLR", "GEO", "KAZ", "KGZ", "MDA", "TJK", "TKM", "UKR", "UZB"],
        "CSHH": ["CZE", "SVK"],
        "YUCS": ["BIH", "HRV", "MKD", "MNE", "SRB", "SVN"],
    }
    assert len(cov.through_succession()) == 18
    # Russia is covered by its own agreement of 2000, which superseded the USSR one for Russia.
    assert [(s.agreement, s.how) for s in cov.states if s.party == "RUS"] == [
        ("jpn-rus-2000", "direct")
    ]
    assert [
        (s.successor, s.agreement)
        for s in succession_suggestions(session, "JPN", date(2022, 12, 31))
    ] == [("DEU", "jpn-ddde-1977"), ("AZE", "jpn-ussr-1973")]


def test_posts_and_holders_of_facts_1_to_3(session: Session) -> None:
    load_dataset(session, resolve_dataset("japan-mofa"))
    advisor = [
        (a.person.name, str(a.start), str(a.end), t.value)
        for a, t in holders(session, "mofa-st-advisor", date(2019, 6, 1))
    ]
    assert advisor == [("KISHI Teruo", "2015-09-24", "2020-04-01", "yes")]
    advisor = [
        (a.person.name, t.value) for a, t in holders(session, "mofa-st-advisor", date(2022, 12, 31))
    ]
    assert advisor == [("MATSUMOTO Yoichiro", "yes")]
    co_advisor = [
        (a.person.name, str(a.start))
        for a, _ in holders(session, "mofa-st-co-advisor", date(2022, 5, 1))
    ]
    # KANO left on 31 March 2022: only KOTANI is Co-Advisor on 1 May 2022.
    assert co_advisor == [("KOTANI Motoko", "2022-04-01")]


def test_reload_changes_nothing(session: Session) -> None:
    first = load_dataset(session, resolve_dataset("japan-mofa"))
    second = load_dataset(session, resolve_dataset("japan-mofa"))
    assert second.total(Outcome.unchanged) == first.total(Outcome.inserted) == 482
    uncited = [
        (c.name, r.key)
        for c in CONCEPTS
        if c.name != "sources"
        for r in session.scalars(select(c.model)).all()
        if not snapshot(session, c, r).sources
    ]
    assert uncited == []


def test_japanese_names_cite_their_japanese_source() -> None:
    dataset = read_dataset(resolve_dataset("japan-mofa"))
    named = {
        record.key: (
            [n.name for n in record.other_names],  # type: ignore[attr-defined]
            [s.source for s in record.sources],
        )
        for name in ("persons", "organisations")
        for record, _line in dataset.records[name]
        if any(n.lang == "ja" for n in record.other_names)  # type: ignore[attr-defined]
    }
    both = ["bluebook-2023", "bluebook-2024-ja"]
    assert named == {
        "kishi-teruo": (["岸輝雄"], both),
        "matsumoto-yoichiro": (["松本洋一郎"], both),
        "kano-mitsunobu": (["狩野光伸"], both),
        "kotani-motoko": (["小谷元子"], both),
        "mofa": (["外務省"], both),
        "u-tokyo": (["東京大学"], both),
        "okayama-u": (["岡山大学"], both),
        "tohoku-u": (["東北大学"], both),
        "st-advisory-network": (["科学技術外交アドバイザリー・ネットワーク"], both),
        "advisory-board": (
            ["科学技術外交推進会議"],
            [*both, "bluebook-2021-ja", "govbase-board-2020-09", "bluebook-2025-ja"],
        ),
        "advisory-board-2015": (
            ["科学技術外交推進会議"],
            [
                "bluebook-2016-ja",
                "bluebook-2018-ja",
                "bluebook-2020-ja",
                "bluebook-2021-ja",
                "mofa-board-2015-12",
                "bluebook-2017-en",
            ],
        ),
        # The ministers named in Japanese by MOFA's releases (board meetings, ISTC events).
        "tsuji-kiyoto": (["辻清人"], ["mofa-board-2019-03"]),
        "omi-asako": (["尾身朝子"], ["govbase-board-2019-11"]),
        "kamikawa-yoko": (["上川陽子"], ["mofa-board-2024-04"]),
        "fukazawa-yoichi": (["深澤陽一"], ["mofa-istc-kaz-2024"]),
        "ikuina-akiko": (["生稲晃子"], ["mofa-istc-2025"]),
    }
