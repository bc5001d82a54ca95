"""One test per fact 1-16 of the seed summary: the 2022 chapter, built from the japan-mofa
dataset, states the fact, computed from records (context values checked by hand against the
Bluebook 2023, then the sentence the Markdown prints)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from scidip.reports.context.annual import AnnualReport, build_annual
from scidip.reports.render import ReportFormat, render_report


@pytest.fixture(scope="module")
def annual(mofa: Session) -> AnnualReport:
    return build_annual(mofa, "JPN", 2022, date(2026, 1, 31), chart=False)


@pytest.fixture(scope="module")
def text(annual: AnnualReport) -> str:
    return render_report("annual", ReportFormat.md, a=annual).decode()


def _holders(annual: AnnualReport, post: int) -> list[tuple[str, str | None, str, str]]:
    return [(h.person, h.affiliation, str(h.start), str(h.end)) for h in annual.posts[post].holders]


def test_fact_01_advisor_post_created_2015_first_holder_kishi(
    annual: AnnualReport, text: str
) -> None:
    post = annual.posts[0]
    assert (post.label, str(post.created)) == (
        "Science and Technology Advisor to the Minister for Foreign Affairs",
        "2015-09-24",
    )
    # The end is exclusive: he left on 31 March 2020, his last day in post.
    assert _holders(annual, 0)[0] == (
        "KISHI Teruo",
        "Professor Emeritus, University of Tokyo",
        "2015-09-24",
        "2020-04-01",
    )
    assert str(annual.posts[0].holders[0].last_day) == "2020-03-31"
    assert not annual.posts[0].holders[0].in_year
    assert (
        "to the Minister for Foreign Affairs** (Ministry of Foreign Affairs of Japan) was "
        "created on 24 September 2015." in text
    )
    assert (
        "- KISHI Teruo, Professor Emeritus, University of Tokyo: from 24 September 2015 until "
        "31 March 2020 (first holder; left the post on 31 March 2020, at the end of his term)."
        in text
    )


def test_fact_02_matsumoto_advisor_from_april_2020(annual: AnnualReport, text: str) -> None:
    assert _holders(annual, 0)[1] == (
        "MATSUMOTO Yoichiro",
        "Professor Emeritus, University of Tokyo",
        "2020-04-01",
        "None",
    )
    assert annual.posts[0].holders[1].in_year
    assert (
        "- MATSUMOTO Yoichiro, Professor Emeritus, University of Tokyo: from 1 April 2020; "
        "in post in 2022." in text
    )


def test_fact_03_co_advisors_kano_and_kotani(annual: AnnualReport, text: str) -> None:
    post = annual.posts[1]
    assert (post.label, str(post.created)) == (
        "Science and Technology Co-Advisor to the Minister for Foreign Affairs",
        "2019-04",
    )
    # KANO left on 31 March 2022 and KOTANI took over on 1 April: both held the post in 2022.
    assert _holders(annual, 1) == [
        ("KANO Mitsunobu", "Professor, Okayama University", "2019-04", "2022-04-01"),
        ("KOTANI Motoko", "Trustee and Vice President, Tohoku University", "2022-04-01", "None"),
    ]
    assert [h.in_year for h in annual.posts[1].holders] == [True, True]
    assert (
        "- KANO Mitsunobu, Professor, Okayama University: from April 2019 until 31 March 2022 "
        "(first holder; left the post on 31 March 2022 after three years); in post in 2022." in text
    )
    assert (
        "- KOTANI Motoko, Trustee and Vice President, Tohoku University: from 1 April 2022; "
        "in post in 2022." in text
    )


def test_fact_04_what_the_advisors_do(annual: AnnualReport, text: str) -> None:
    description = annual.posts[0].description or ""
    assert description.startswith("Supports the Foreign Minister from the perspective of science")
    assert "use of science, technology and innovation in foreign policy." in text


def test_fact_05_advisory_network_under_the_advisor(annual: AnnualReport, text: str) -> None:
    network = annual.bodies[0]
    assert (network.name, network.kind, network.parent) == (
        "Science and Technology Diplomacy Advisory Network",
        "network",
        "Ministry of Foreign Affairs of Japan",
    )
    assert (
        "Academic experts in a variety of S&T fields, under the supervision of the S&T "
        "Advisor." in text
    )


def test_fact_06_board_of_20_chair_vice_chair_met_march_and_august(
    annual: AnnualReport, text: str
) -> None:
    board = annual.bodies[1]
    assert (board.name, board.parent, board.size_reported) == (
        "Advisory Board for Promoting Science & Technology Diplomacy",
        "Science and Technology Diplomacy Advisory Network",
        20,
    )
    # The officers of 2022 by their recorded terms: KANO was vice-chair as Co-Advisor until 31
    # March 2022, KOTANI from 1 April 2022.
    assert [
        (o.person, str(o.start), str(o.last_day)) for o in board.chairs + board.vice_chairs
    ] == [
        ("MATSUMOTO Yoichiro", "2020-09", "None"),
        ("KANO Mitsunobu", "2020-09", "2022-03-31"),
        ("KOTANI Motoko", "2022-04-01", "None"),
    ]
    assert [str(m.date) for m in board.meetings] == ["2022-03", "2022-08"]
    assert (
        "It was set up in September 2020. Members reported: 20 (2020). Chair: MATSUMOTO Yoichiro "
        "(from September 2020). Vice-chair: KANO Mitsunobu (from September 2020 until 31 March "
        "2022), KOTANI Motoko (from 1 April 2022). In 2022 it met in March 2022 and in August "
        "2022." in text
    )


def test_fact_07_june_2022_recommendation_to_hayashi(annual: AnnualReport, text: str) -> None:
    [doc] = annual.documents
    assert (str(doc.date), doc.authors, doc.addressee, doc.status) == (
        "2022-06",
        ["KOTANI Motoko", "MATSUMOTO Yoichiro"],
        "Minister for Foreign Affairs HAYASHI Yoshimasa",
        "submitted",
    )
    assert (
        "- In June 2022, KOTANI Motoko and MATSUMOTO Yoichiro (Advisory Board for Promoting "
        'Science & Technology Diplomacy) submitted the recommendation "Recommendation for '
        'strengthening the foundation of science and technology capabilities" to Minister for '
        "Foreign Affairs HAYASHI Yoshimasa; topics: S&T capabilities, human resources." in text
    )


def test_fact_08_exchanges_with_science_advisors_and_fmstan(
    annual: AnnualReport, text: str
) -> None:
    assert [(e.counterparts, str(e.date)) for e in annual.exchanges] == [
        (["Switzerland"], "2022"),
        (["United Kingdom"], "2022"),
        (["United States"], "2022"),
        (["Foreign Ministries Science & Technology Advice Network (FMSTAN)"], "2022"),
    ]
    assert annual.exchanges[3].topics == [
        "the role of science and technology in resolving global environmental issues",
        "science diplomacy and science advice in the current geopolitical situation",
    ]
    assert (
        "- Exchange of views with the science advisor of the United States (2022): KOTANI "
        "Motoko and MATSUMOTO Yoichiro, with United States" in text
    )
    assert (
        "on the role of science and technology in resolving global environmental issues and "
        "science diplomacy and science advice in the current geopolitical situation." in text
    )


def _visits(annual: AnnualReport) -> list[tuple[str, list[str], list[str]]]:
    return [(str(e.date), e.participants, e.places) for e in annual.visits]


def test_fact_09_matsumoto_to_the_us_in_june_berlin_geneva_in_october(
    annual: AnnualReport, text: str
) -> None:
    visits = [v for v in _visits(annual) if v[1] == ["MATSUMOTO Yoichiro"]]
    assert visits == [
        ("2022-06", ["MATSUMOTO Yoichiro"], ["United States"]),
        ("2022-10", ["MATSUMOTO Yoichiro"], ["Berlin (Germany)", "Geneva (Switzerland)"]),
    ]
    assert "| June 2022 | MATSUMOTO Yoichiro | United States |" in text
    assert "| October 2022 | MATSUMOTO Yoichiro | Berlin (Germany); Geneva (Switzerland) |" in text


def test_fact_10_kotani_brussels_in_july_world_science_forum_in_december(
    annual: AnnualReport, text: str
) -> None:
    visits = [v for v in _visits(annual) if v[1] == ["KOTANI Motoko"]]
    assert visits == [
        ("2022-07", ["KOTANI Motoko"], ["Brussels (Belgium)"]),
        ("2022-12", ["KOTANI Motoko"], ["South Africa"]),
    ]
    assert annual.visits[1].counterparts == [
        "European Commission Directorate-General for Research and Innovation",
        "European Union",
    ]
    assert (
        "| July 2022 | KOTANI Motoko | Brussels (Belgium) | Discussions with the European "
        "Commission's DG Research and Innovation" in text
    )
    assert (
        "| December 2022 | KOTANI Motoko | South Africa | World Science Forum 2022. Dr Kotani "
        "introduced Japan's initiatives for S&T diplomacy | [1] |" in text
    )


def test_fact_11_seminars_and_online_meetings_with_missions(
    annual: AnnualReport, text: str
) -> None:
    assert [(e.kind, e.participants, e.counterparts) for e in annual.seminars] == [
        (
            "online_meeting",
            ["MATSUMOTO Yoichiro"],
            [
                "Japan's overseas diplomatic missions in countries with advanced "
                "science and technology"
            ],
        ),
        ("seminar", ["MATSUMOTO Yoichiro"], []),
    ]
    assert (
        "- Science and technology diplomacy seminars within MOFA, held regularly to raise the "
        "level of knowledge (seminar, 2022): MATSUMOTO Yoichiro, hosted by the Ministry of "
        "Foreign Affairs of Japan" in text
    )


def test_fact_12_the_published_counts_beside_the_computed_ones(
    annual: AnnualReport, text: str
) -> None:
    assert [(c.metric.value, c.published, c.computed, c.verdict) for c in annual.published] == [
        ("agreements", 32, 32, "match"),
        ("organisations", 1, 1, "match"),
        ("states", 46, 46, "match"),
    ]
    g = annual.agreements
    assert (g.agreements, g.states, g.organisations) == (32, 46, ["European Union"])
    assert g.undecided == []
    assert "**32 agreements, in force with 46 countries and the EU**" in text
    assert (
        'Published: "Japan has concluded 32 science and technology cooperation agreements '
        'bilaterally, and these are now in force with 46 countries and the EU."' in text
    )
    assert (
        "agreements 32 published, 32 counted (match); organisations 1 published, 1 counted "
        "(match); states 46 published, 46 counted (match).\n" in text
    )


def test_fact_13_successions_footnote(annual: AnnualReport, text: str) -> None:
    g = annual.agreements
    assert (g.direct_states, g.succession_states) == (28, 18)
    assert [(s.predecessor, s.by_date) for s in g.footnote] == [
        (
            "USSR",
            [
                ("no later than 7 April 1994", ["Kazakhstan"]),
                ("no later than 21 July 2005", ["Ukraine"]),
                (
                    "no later than 2022",
                    [
                        "Armenia",
                        "Belarus",
                        "Georgia",
                        "Kyrgyz Republic",
                        "Moldova",
                        "Tajikistan",
                        "Turkmenistan",
                        "Uzbekistan",
                    ],
                ),
            ],
        ),
        ("Czechoslovakia", [("1993", ["Czech Republic", "Slovakia"])]),
        (
            "Yugoslavia",
            [
                ("no later than 2001", ["Croatia", "North Macedonia", "Slovenia"]),
                ("no later than 2022", ["Bosnia and Herzegovina", "Montenegro", "Serbia"]),
            ],
        ),
    ]
    assert (
        "Arrangement between Japan and Czechoslovakia on Scientific and Technological "
        "Cooperation (signed November 1978): inherited by Czech Republic and Slovakia (1993)."
        in text
    )
    assert (
        "inherited by Kazakhstan (no later than 7 April 1994); Ukraine (no later than 21 July "
        "2005); Armenia, Belarus, Georgia, Kyrgyz Republic, Moldova, Tajikistan, Turkmenistan "
        "and Uzbekistan (no later than 2022), on different dates." in text
    )


def test_fact_14_joint_committees_held_in_2022(annual: AnnualReport, text: str) -> None:
    # France's 10th meeting (Paris, 27 July 2022) is dated by MOFA's release; the Bluebook 2023
    # gives the others of Australia, Brazil and Canada only to the year.
    assert [(m.counterpart, m.number, str(m.date)) for m in annual.committees] == [
        ("Australia", None, "2022"),
        ("Brazil", None, "2022"),
        ("Canada", None, "2022"),
        ("Israel", 9, "2022-03-02"),
        ("France", 10, "2022-07-27"),
        ("South Africa", 8, "2022-10-12"),
        ("Sweden", 8, "2022-11-14"),
    ]
    assert "| France | 10th | 27 July 2022 | Paris (hybrid) |" in text
    assert (
        "In 2022, joint committee meetings were held with Australia, Brazil, Canada, Israel, "
        "France, South Africa and Sweden." in text
    )


def test_fact_15_istc_board_and_central_asia(annual: AnnualReport, text: str) -> None:
    istc = annual.multilateral[0]
    assert (istc.title, istc.actions) == (
        "Agreement Establishing an International Science and Technology Center",
        ["signature 27 November 1992"],
    )
    assert "radioactive materials" in istc.subjects
    assert (
        "Japan is a member of the ISTC Board and supports mainly countries of Central Asia" in text
    )
    assert (
        "**International Science and Technology Center (ISTC)**: Established to support "
        "research for peaceful purposes by former weapons-of-mass-destruction researchers of the "
        "former Soviet Union" in text
    )


def test_fact_15b_istc_continuing_agreement(annual: AnnualReport, text: str) -> None:
    """Initialled on 22 June 2015, signed in 2015, in force from 14 December 2017 (the US State
    Department's release of 2015, MOFA's pages of 2024 and 2025, the ISTC's of 2018)."""
    continuing = annual.multilateral[1]
    assert (continuing.title, continuing.actions, str(continuing.in_force_since)) == (
        "Agreement Continuing the International Science and Technology Center",
        ["signature 2015"],
        "2017-12-14",
    )
    assert (
        "**Agreement Continuing the International Science and Technology Center**: Japan's "
        "signature 2015; in force since 14 December 2017. Initialled in Astana on 22 June 2015"
        in text
    )


def test_fact_16_iter(annual: AnnualReport, text: str) -> None:
    iter_ = annual.multilateral[2]
    assert (iter_.actions, str(iter_.in_force_since)) == (
        ["signature 21 November 2006"],
        "2007-10-24",
    )
    assert (
        "Japan participates in the ITER project to demonstrate the scientific and "
        "technological feasibility of fusion energy" in text
    )
