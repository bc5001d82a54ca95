"""A SYNTHETIC snapshot with planted truth for the tracker and the mobility figures.

Written in the OpenAlex works format (gzip JSON Lines, labelled synthetic), so it goes through
the same ``ingest`` as real records. What it plants, every year from ``first_year`` to
``last_year`` (:data:`PLANTED`):

* **Technology leaders** — technology ``syn/<t>`` is the works carrying keyword ``<t>``; each
  year it has a fixed set of single-country papers whose citation counts are all distinct, so
  the top 10 % (``n / 10`` papers) is exactly the planted top papers.
* **Citation links** — every citation is a ``referenced_works`` link from a citing work in the
  snapshot, and ``cited_by_count`` equals the links to the work. Citations come from
  ``FRA`` citing works (sharing no country with any technology paper), except the planted
  **same-country cluster**: ``CHN`` citing works that cite ``CHN`` papers of ``syn/switch``.
  With those citations ``CHN`` leads ``syn/switch``; without them, ``USA`` does; no other
  technology changes.
* **Institutions** — each technology paper's one institution is ``I_<country>_A`` or
  ``I_<country>_B`` by the parity of the paper's index in :data:`PLANTED` (even: A), so the
  institutions' shares are known too (:func:`institution_of`).
* **Careers** — authors publishing one paper a year, with the country of each year planted
  (:data:`CAREERS`): their moves are the planted moves; each career work's field is planted
  too (:data:`CAREER_FIELDS`), so each scholar's field is known.

The definitions file for the planted technologies is :func:`definitions_yaml`.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scidip.indicators.synthetic_label import MARKER, MARKER_TEXT

OA = "https://openalex.org"


@dataclass(frozen=True)
class Planted:
    """One planted technology: each year's papers as (country, foreign citations,
    same-country citations), and the planted answer."""

    keyword: str
    papers: tuple[tuple[str, int, int], ...]
    lead: str
    lead_without_same_country: str


def _papers(spec: list[tuple[str, list[int], int]]) -> tuple[tuple[str, int, int], ...]:
    """(country, foreign citations of each paper, same-country citations of its top papers)."""
    rows = []
    for country, cites, same in spec:
        rows += [(country, c, same if i < 3 else 0) for i, c in enumerate(cites)]
    return tuple(rows)


#: 30 papers a year in each technology (top 10 % = the 3 most cited), 40 in ``lead3``.
PLANTED: tuple[Planted, ...] = (
    # CHN holds 2 of the 3 top papers, USA 1: CHN leads, 2× the second.
    Planted("lead2", _papers([
        ("CN", [30, 29, *range(1, 11)], 0), ("US", [28, *range(11, 20)], 0),
        ("JP", list(range(20, 28)), 0),
    ]), "CHN", "CHN"),
    # USA holds 3 of the 4 top papers, JPN 1: USA leads, 3× the second.
    Planted("lead3", _papers([
        ("US", [40, 39, 38, *range(1, 13)], 0), ("JP", [37, *range(13, 25)], 0),
        ("DE", list(range(25, 37)), 0),
    ]), "USA", "USA"),
    # The CHN papers' top 3 lead only with the CHN cluster's 15 citations each.
    Planted("switch", _papers([
        ("CN", [10, 9, 8, *range(1, 8)], 15), ("US", [20, 19, 18, *range(11, 18)], 0),
        ("JP", list(range(1, 11)), 0),  # ties below the threshold do not matter
    ]), "CHN", "USA"),
)  # fmt: skip

#: Authors with careers: (author id, country of each year from ``first_year``).
CAREERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("A_STAY", ("JP", "JP", "JP", "JP", "JP")),
    ("A_OUT", ("JP", "JP", "US", "US", "US")),  # JPN → USA in year 3
    ("A_RETURN", ("CN", "JP", "JP", "CN", "CN")),  # CHN → JPN, then back: a returnee
    ("A_IN", ("DE", "DE", "DE", "JP", "JP")),  # DEU → JPN in year 4
)
#: The field of each career work (OpenAlex field id), year by year: A_RETURN publishes three
#: years in 22 (Engineering) and two in 17 (Computer Science), so its field is 22.
CAREER_FIELDS: dict[str, tuple[str, ...]] = {
    "A_STAY": ("17",) * 5,
    "A_OUT": ("22",) * 5,
    "A_RETURN": ("22", "22", "22", "17", "17"),
    "A_IN": ("17",) * 5,
}
#: Field id → (name, one of its subfields: id, name), as OpenAlex writes them.
FIELDS = {
    "17": ("Computer Science", "1702", "Artificial Intelligence"),
    "22": ("Engineering", "2207", "Control and Systems Engineering"),
}
#: The planted moves: (author, year offset, from, to), alpha-3.
PLANTED_MOVES = (
    ("A_OUT", 2, "JPN", "USA"),
    ("A_RETURN", 1, "CHN", "JPN"),
    ("A_RETURN", 3, "JPN", "CHN"),
    ("A_IN", 3, "DEU", "JPN"),
)


def institution_of(country: str, index: int) -> str:
    """The planted institution of a technology paper: ``I_<country>_A`` for an even index in
    its technology's papers, ``_B`` for an odd one (``country`` alpha-2, as written)."""
    return f"I_{country}_{'AB'[index % 2]}"


def _authorship(author: str, country: str, institution: str | None = None) -> dict[str, Any]:
    inst = institution or f"I_{country}"
    return {
        "author": {"id": f"{OA}/{author}"},
        "countries": [country],
        "institutions": [
            {"id": f"{OA}/{inst}", "display_name": f"Institute {inst[2:]}", "country_code": country}
        ],
    }


def _work(wid: str, year: int, **extra: Any) -> dict[str, Any]:
    refs = extra.pop("refs", [])
    field = extra.pop("field", "17")
    return {
        "id": f"{OA}/{wid}",
        "publication_year": year,
        "updated_date": "2024-01-01T00:00:00",
        "type": "article",
        "primary_location": {"source": {"type": "journal"}},
        "is_retracted": False,
        "counts_by_year": [],
        "primary_topic": {
            "id": f"{OA}/T99999",
            "field": {"id": f"{OA}/fields/{field}", "display_name": FIELDS[field][0]},
            "subfield": {
                "id": f"{OA}/subfields/{FIELDS[field][1]}",
                "display_name": FIELDS[field][2],
            },
            "domain": {"id": f"{OA}/domains/3", "display_name": "Physical Sciences"},
        },
        "referenced_works": [f"{OA}/{r}" for r in refs],
        "referenced_works_count": len(refs),
        **extra,
    }


def _year_works(year: int) -> list[dict[str, Any]]:
    works: list[dict[str, Any]] = []
    cited_by: dict[str, list[str]] = {}  # citing pool → cited works
    anchor = f"W{year}_ANCHOR"  # every paper lists one reference (the cwts method needs one)
    for tech in PLANTED:
        keyword = {"id": f"{OA}/keywords/{tech.keyword}", "display_name": tech.keyword}
        for i, (country, foreign, same) in enumerate(tech.papers):
            wid = f"W{year}_{tech.keyword}_{i}"
            for j in range(foreign):
                cited_by.setdefault(f"W{year}_FR_{j}", []).append(wid)
            for j in range(same):
                cited_by.setdefault(f"W{year}_CN_{j}", []).append(wid)
            works.append(
                _work(
                    wid,
                    year,
                    refs=[anchor],
                    cited_by_count=foreign + same,
                    keywords=[keyword],
                    authorships=[
                        _authorship(
                            f"A{year}_{tech.keyword}_{i}", country, institution_of(country, i)
                        )
                    ],
                )
            )
    for citing, cited in sorted(cited_by.items()):
        country = "FR" if "_FR_" in citing else "CN"
        works.append(
            _work(citing, year, refs=cited, cited_by_count=0,
                  authorships=[_authorship(f"A_{citing}", country)])
        )  # fmt: skip
    works.append(_work(anchor, year, cited_by_count=0, authorships=[]))
    return works


def _career_works(first_year: int) -> list[dict[str, Any]]:
    return [
        _work(f"W_{author}_{first_year + k}", first_year + k, cited_by_count=0,
              field=CAREER_FIELDS[author][k], authorships=[_authorship(author, country)])
        for author, countries in CAREERS
        for k, country in enumerate(countries)
    ]  # fmt: skip


def write_planted(root: Path, first_year: int = 2016, last_year: int = 2020) -> Path:
    """Write the labelled synthetic snapshot under ``root``; returns its works file."""
    folder = root / "data" / "works" / "updated_date=2024-01-01"
    folder.mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    works = [w for y in range(first_year, last_year + 1) for w in _year_works(y)]
    works += _career_works(first_year)
    path = folder / "part_000.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(w) + "\n" for w in works)
    return path


def definitions_yaml() -> str:
    """The technology list of the planted technologies (list ``syn``)."""
    lines = [
        "list: syn",
        "title: Planted technologies of the synthetic tracker snapshot (SYNTHETIC)",
        'edition: "test"',
        'version: "1"',
        "source: {citation: scidip.indicators.tech.synthetic (synthetic)}",
        "coverage: complete",
        "mapping: one keyword per technology",
        "technologies:",
    ]
    for tech in PLANTED:
        lines += [f"  - id: {tech.keyword}", f"    name: Planted {tech.keyword}",
                  f"    keywords: [{tech.keyword}]"]  # fmt: skip
    return "\n".join(lines) + "\n"
