"""The annual chapter for any year states what was true in that year, by the interval rule of
``scidip.dates`` (facts of each year checked by hand against the Bluebooks 2017, 2020, 2021, 2023,
2024 and 2025 and MOFA's releases cited in the dataset: the boards' numbered meetings, the joint
committees held each year, the Advisor's visits, FMSTAN meetings and symposia); golden files for
2019 and 2020."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from scidip.registry.body.schemas import MembershipCreate
from scidip.registry.body.service import MEMBERSHIP
from scidip.registry.document.schemas import DocumentCreate
from scidip.registry.document.service import DOCUMENT
from scidip.registry.post.schemas import AppointmentCreate
from scidip.registry.post.service import APPOINTMENT
from scidip.registry.record import create
from scidip.reports.context.annual import AnnualReport, build_annual
from scidip.reports.render import ReportFormat, render_report

GENERATED_ON = date(2026, 1, 31)
Golden = Callable[[str, str], None]


def _chapter(mofa: Session, year: int) -> AnnualReport:
    return build_annual(mofa, "JPN", year, GENERATED_ON, chart=False)


def _text(report: AnnualReport) -> str:
    return render_report("annual", ReportFormat.md, a=report).decode()


def _summary(a: AnnualReport) -> tuple[object, ...]:
    return (
        [h.person for p in a.posts for h in p.holders if h.in_year],
        [
            (
                b.name,
                [o.person for o in b.chairs],
                [o.person for o in b.vice_chairs],
                [(str(m.date), m.number, m.mode) for m in b.meetings],
            )
            for b in a.bodies
        ],
        [(str(d.date), d.authors, d.status) for d in a.documents],
        [(str(v.date), v.places) for v in a.visits],
        [(m.counterpart, m.number) for m in a.committees],
        (a.agreements.agreements, a.agreements.states),
    )


NETWORK = "Science and Technology Diplomacy Advisory Network"
BOARD = "Advisory Board for Promoting Science & Technology Diplomacy"
BOARD_2015 = "Advisory Board for Promoting Science & Technology Diplomacy (set up in December 2015)"

# What each chapter states: the advisors in post during the year, the bodies that existed with
# (the network, which has no founding date, because a board under it existed)
# their officers and meetings, the year's documents, visits and committee meetings, and the
# agreements and states counted on the year's last day.
YEARS = {
    2015: (
        ["KISHI Teruo"],
        # The members were commissioned and met the Foreign Minister on 16 December 2015.
        [(NETWORK, [], [], []), (BOARD_2015, [], [], [("2015-12-16", None, None)])],
        [],
        [],
        [
            ("Norway", 5),
            ("Viet Nam", 4),
            ("China", 15),
            ("European Union", 3),
            ("Australia", 15),
            ("Russia", 12),
            ("United States", 13),  # the Joint High-Level Committee, 6 October 2015
            ("Netherlands", 6),
        ],
        # South Africa's agreement is known in force only from its committee of 2017; India's
        # from its 5th committee, of December 1997.
        (31, 34),
    ),
    2016: (
        ["KISHI Teruo"],
        # The chair is recorded only from the Bluebook's report of 2017.
        [(NETWORK, [], [], []), (BOARD_2015, [], [], [("2016-12-21", 3, None)])],
        [],
        [],
        [
            ("Sweden", 6),
            ("Finland", 6),
            ("Canada", 13),
            ("United States", 15),  # the Joint Working-Level Committee, 13 July 2016
            ("Indonesia", 2),
            ("United Kingdom", 10),
            ("Germany", 22),
        ],
        (31, 34),
    ),
    2017: (
        ["KISHI Teruo"],
        [(NETWORK, [], [], []), (BOARD_2015, ["KISHI Teruo"], [], [])],
        [("2017-05", ["KISHI Teruo"], "submitted")],
        [("2017-09-11", ["Netherlands", "Switzerland", "France"])],
        [("India", 9), ("France", 9), ("Italy", 14), ("European Union", 4), ("South Africa", 6)],
        (32, 35),
    ),
    2018: (
        ["KISHI Teruo"],
        [(NETWORK, [], [], []), (BOARD_2015, ["KISHI Teruo"], [], [("2018-12-19", 8, None)])],
        [
            ("2018-03", ["KISHI Teruo"], "submitted"),
            ("2018-05", ["KISHI Teruo"], "in progress"),
        ],
        [],
        [("Switzerland", 4), ("Russia", 13), ("Norway", 6), ("China", 16)],
        (32, 35),
    ),
    2019: (
        ["KISHI Teruo", "KANO Mitsunobu"],
        [
            (NETWORK, [], [], []),
            (
                BOARD_2015,
                ["KISHI Teruo"],
                [],
                [("2019-03-06", 9, None), ("2019-07-31", 10, None), ("2019-11-12", 11, None)],
            ),
        ],
        [("2019-03", ["KISHI Teruo"], "implemented")],
        [
            ("2019-03", ["Argentina", "Brazil"]),
            (
                "2019-05-05",
                [
                    "Tel Aviv (Israel)",
                    "Jerusalem (Israel)",
                    "Alexandria (Egypt)",
                    "Cairo (Egypt)",
                ],
            ),
            ("2019-11-23", ["Budapest (Hungary)", "Vienna (Austria)"]),
        ],
        [("Germany", 23), ("Netherlands", 7), ("European Union", 5)],
        (32, 35),
    ),
    2020: (
        ["KISHI Teruo", "MATSUMOTO Yoichiro", "KANO Mitsunobu"],
        [
            (NETWORK, [], [], []),
            (BOARD, ["MATSUMOTO Yoichiro"], ["KANO Mitsunobu"], [("2020-09-28", 1, None)]),
            (BOARD_2015, ["KISHI Teruo"], [], []),
        ],
        [],
        [],
        [("South Africa", 7), ("India", 10)],
        (32, 35),
    ),
    2021: (
        ["MATSUMOTO Yoichiro", "KANO Mitsunobu"],
        [
            (NETWORK, [], [], []),
            (
                BOARD,
                ["MATSUMOTO Yoichiro"],
                ["KANO Mitsunobu"],
                [("2021-01-22", 2, "online"), ("2021-07-01", 3, "online")],
            ),
        ],
        [],
        [],
        [("United States", 16), ("United Kingdom", 11), ("Norway", 7), ("European Union", 6)],
        (32, 35),
    ),
    2023: (
        ["MATSUMOTO Yoichiro", "KOTANI Motoko"],
        [
            (NETWORK, [], [], []),
            (BOARD, ["MATSUMOTO Yoichiro"], ["KOTANI Motoko"], [("2023-08-30", 6, "hybrid")]),
        ],
        [],
        [],
        [
            ("Italy", 15),
            ("Switzerland", 5),
            ("Germany", 24),
            ("New Zealand", 4),
            ("United States", 15),  # the Joint High-Level Committee, 16 May 2023
            ("United Kingdom", 12),
            ("European Union", 7),
        ],
        (32, 46),
    ),
    2024: (
        ["MATSUMOTO Yoichiro", "KOTANI Motoko"],
        [
            (NETWORK, [], [], []),
            (BOARD, ["MATSUMOTO Yoichiro"], ["KOTANI Motoko"], [("2024-04-22", 7, "hybrid")]),
        ],
        [],
        [
            ("2024-06-06", ["Astana (Kazakhstan)"]),  # the ISTC's 30th anniversary (a forum)
            ("2024-10-13", ["London (United Kingdom)", "Strasbourg (France)", "Czech Republic"]),
        ],
        [
            ("Norway", 8),
            ("Finland", 8),
            ("Canada", 16),
            ("United States", 17),  # the Joint Working-Level Committee, 28 August 2024
            ("South Africa", 9),
        ],
        (32, 46),
    ),
    2025: (
        ["MATSUMOTO Yoichiro", "KOTANI Motoko"],
        [(NETWORK, [], [], []), (BOARD, ["MATSUMOTO Yoichiro"], ["KOTANI Motoko"], [])],
        [],
        [
            ("2025-08-27", ["Osaka (Japan)"]),  # the ISTC's day at Expo 2025 (a forum)
            (
                "2025-11-09",
                [
                    "Delft (Netherlands)",
                    "Wageningen (Netherlands)",
                    "Eindhoven (Netherlands)",
                    "Italy",
                ],
            ),
        ],
        [("Israel", 10), ("Brazil", 6), ("Republic of Korea", 14)],
        (32, 46),
    ),
}

# The exchanges with foreign science advisors and networks (FMSTAN among them) and the seminars
# and symposia of each year, as (date, title's start); years not listed have none recorded but
# 2022, which test_annual_facts covers.
EVENTS = {
    2015: ([], []),
    2016: (
        [
            ("2016-02", "First meeting of the Foreign Ministries"),
            ("2016-10-03", "Meeting with the US"),
        ],
        [("2016-05-24", "Symposium on science and technology")],
    ),
    2017: ([("2017-09", "Meeting of the network of S&T advisors")], []),
    2018: ([], []),
    2019: (
        [("2019-11-25", "Meeting of the Foreign Ministries")],
        [("2019-12-11", "2nd symposium on science and tech")],
    ),
    2020: ([], []),
    2021: ([], []),
    2023: ([], []),
    2024: ([], [("2024-03-21", "3rd symposium on science and tech")]),
    2025: ([], []),
}


@pytest.mark.parametrize("year", sorted(YEARS))
def test_each_year_states_what_was_true_then(mofa: Session, year: int) -> None:
    assert _summary(_chapter(mofa, year)) == YEARS[year]


@pytest.mark.parametrize("year", sorted(EVENTS))
def test_each_year_states_its_exchanges_and_seminars(mofa: Session, year: int) -> None:
    a = _chapter(mofa, year)
    for events, expected in zip((a.exchanges, a.seminars), EVENTS[year], strict=True):
        assert [str(e.date) for e in events] == [day for day, _ in expected]
        assert all(e.title.startswith(s) for e, (_, s) in zip(events, expected, strict=True))


def test_the_fmstan_meetings_and_the_advisors_visits_in_the_chapters(mofa: Session) -> None:
    text_2019 = _text(_chapter(mofa, 2019))
    assert (
        "- Meeting of the Foreign Ministries Science and Technology Advisors Network (FMSTAN) "
        "(25 November 2019): KISHI Teruo, with Foreign Ministries Science & Technology Advice "
        "Network (FMSTAN); on common challenges in promoting science diplomacy." in text_2019
    )
    assert "| 23 November 2019 | KISHI Teruo | Budapest (Hungary); Vienna (Austria) |" in text_2019
    text_2016 = _text(_chapter(mofa, 2016))
    assert (
        "| Germany | 22nd | 30 November 2016 to 1 December 2016 | Bonn (in person) |" in text_2016
    )
    assert "| Indonesia | 2nd | 13 September 2016 | Tokyo (in person) |" in text_2016


def test_the_istc_governing_board_in_tokyo_in_2025(mofa: Session) -> None:
    """MOFA's release of 27 August 2025: the 80th Governing Board met in Tokyo on 25 and 26
    August (the end day is not printed yet: the chapter gives an event's first day)."""
    events = _chapter(mofa, 2025).other_events
    assert [(str(e.date), str(e.end), e.number, e.places) for e in events] == [
        ("2025-08-25", "2025-08-26", 80, ["Tokyo (Japan)"])
    ]
    assert (
        "- 80th meeting of the ISTC Governing Board, held in Tokyo ten years after the agreement "
        "continuing the ISTC was signed (25 August 2025)." in _text(_chapter(mofa, 2025))
    )


def test_a_multilateral_agreement_is_stated_from_the_year_of_its_first_act(mofa: Session) -> None:
    """The ISTC continuing agreement, signed in 2015 and in force from 14 December 2017: not in
    the chapter for 2014, signed but not in force in 2016's, in force in 2018's."""
    continuing = "Agreement Continuing the International Science and Technology Center"

    def line(year: int) -> tuple[list[str], str | None] | None:
        found = [m for m in _chapter(mofa, year).multilateral if m.title == continuing]
        return (found[0].actions, str(found[0].in_force_since)) if found else None

    assert [line(y) for y in (2014, 2016, 2018)] == [
        None,
        (["signature 2015"], "None"),
        (["signature 2015"], "2017-12-14"),
    ]


@pytest.mark.parametrize("fmt", [ReportFormat.md, ReportFormat.html])
@pytest.mark.parametrize("year", [2019, 2020])
def test_golden(mofa: Session, year: int, fmt: ReportFormat, golden: Golden) -> None:
    report = _chapter(mofa, year)
    golden(f"annual-{year}.{fmt.value}", render_report("annual", fmt, a=report).decode())


def test_exact_sentences_of_2020(mofa: Session) -> None:
    text = _text(_chapter(mofa, 2020))
    assert (
        "- KISHI Teruo, Professor Emeritus, University of Tokyo: from 24 September 2015 until "
        "31 March 2020 (first holder; left the post on 31 March 2020, at the end of his term); "
        "in post in 2020." in text
    )
    assert (
        "It was set up in September 2020. Members reported: 20 (2020). Chair: MATSUMOTO Yoichiro "
        "(from September 2020). Vice-chair: KANO Mitsunobu (from September 2020 until 31 March "
        "2022). In 2020 it met on 28 September 2020 (1st meeting; attended by MATSUMOTO "
        "Yoichiro and WASHIO Eiichiro)." in text
    )


def test_the_board_set_up_in_2020_is_not_in_the_2019_chapter(mofa: Session) -> None:
    a = _chapter(mofa, 2019)
    assert [b.name for b in a.bodies] == [NETWORK, BOARD_2015]
    assert "MATSUMOTO" not in _text(a).split("## Science and technology cooperation")[0]


def test_an_appointment_that_starts_on_1_january_of_the_next_year_is_not_in_this_years_chapter(
    mofa: Session,
) -> None:
    with mofa.begin_nested() as savepoint:
        create(
            mofa,
            APPOINTMENT,
            AppointmentCreate(
                key="test-new-year",
                person="kishi-teruo",
                post="mofa-st-co-advisor",
                start="2023-01-01",
                sources=[{"source": "bluebook-2023"}],
            ),
            actor="test",
        )
        of_2022 = _chapter(mofa, 2022)
        of_2023 = _chapter(mofa, 2023)
        savepoint.rollback()
    assert [h.person for h in of_2022.posts[1].holders] == ["KANO Mitsunobu", "KOTANI Motoko"]
    assert [(h.person, h.in_year) for h in of_2023.posts[1].holders] == [
        ("KANO Mitsunobu", False),
        ("KOTANI Motoko", True),
        ("KISHI Teruo", True),
    ]


def test_a_seat_without_dates_is_stated_for_no_year(mofa: Session) -> None:
    with mofa.begin_nested() as savepoint:
        create(
            mofa,
            MEMBERSHIP,
            MembershipCreate(
                key="test-undated-chair",
                person="kotani-motoko",
                organisation="advisory-board",
                role="chair",
                sources=[{"source": "bluebook-2023"}],
            ),
            actor="test",
        )
        chairs = {y: [o.person for o in _chapter(mofa, y).bodies[1].chairs] for y in (2021, 2022)}
        savepoint.rollback()
    assert chairs == {2021: ["MATSUMOTO Yoichiro"], 2022: ["MATSUMOTO Yoichiro"]}


def test_a_document_without_authors_names_its_issuer_or_says_so(mofa: Session) -> None:
    with mofa.begin_nested() as savepoint:
        for key, issuer in (("test-by-board", "advisory-board"), ("test-by-nobody", None)):
            create(
                mofa,
                DOCUMENT,
                DocumentCreate(
                    key=key,
                    kind="report",
                    title=key,
                    date="2021-05",
                    issuer=issuer,
                    follow_ups=[{"date": "2021-07", "status": "under_consideration"}],
                    sources=[{"source": "bluebook-2023"}],
                ),
                actor="test",
            )
        text = _text(_chapter(mofa, 2021))
        savepoint.rollback()
    assert (
        "- In May 2021, the Advisory Board for Promoting Science & Technology Diplomacy "
        'submitted the report "test-by-board". Follow-up: July 2021, under consideration. '
        "Status on 31 December 2021: under consideration." in text
    )
    assert (
        '- In May 2021, the report "test-by-nobody" was submitted (its authors are not '
        "recorded). Follow-up: July 2021, under consideration." in text
    )
    assert "In May 2021,  submitted" not in text


def test_a_year_with_no_recorded_fact_says_so(mofa: Session) -> None:
    a = _chapter(mofa, 2012)
    assert a.nothing_dated and a.posts == [] and a.bodies == []
    text = _text(a)
    assert (
        "The registry records no post held, body, document, event or committee meeting in 2012"
        in text
    )
    for line in [
        "No post recorded in 2012.",
        "No advisory network or board recorded in 2012.",
        "No recommendation recorded in 2012.",
        "No joint committee meeting recorded in 2012.",
    ]:
        assert line in text


def test_a_year_not_begun_states_nothing(mofa: Session) -> None:
    a = _chapter(mofa, 2030)
    assert not a.begun
    marking = (
        "**Classification: PUBLIC (the highest marking of the content) · prepared for a reader "
        "cleared for RESTRICTED**"
    )
    assert _text(a) == (
        f"{marking}\n\n# Science and Technology Diplomacy in 2030\n\nJapan: 2030 had not begun "
        "on 2026-01-31, the day this chapter was computed from the registry, so it states nothing "
        f"about that year.\n\n{marking}\n"
    )


def test_the_year_under_way_is_covered_up_to_the_generation_date(mofa: Session) -> None:
    a = _chapter(mofa, 2026)
    assert not a.complete and a.agreements.as_of == GENERATED_ON
    assert [h.person for p in a.posts for h in p.holders if h.in_year] == [
        "MATSUMOTO Yoichiro",
        "KOTANI Motoko",
    ]
    assert "The year is not over on that day: the chapter covers it up to then." in _text(a)
