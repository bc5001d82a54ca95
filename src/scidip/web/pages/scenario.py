"""The scenario form of the Economic security page: what the home country's supply risk
(GeoPolRisk score) would be if a supplier cut its exports, recycling rose, demand fell or imports
moved to partners (:func:`scidip.materials.service.scenario`, the service behind
``scidip materials scenario``), shown beside the score as it is.

The form is a GET (a scenario changes nothing): its fields are the query's names, read as typed
(:func:`typed`) and checked one by one against the store (:func:`check`), so that each refusal
stands beside its field in plain words; only then does the service run. ``partners=agreements``
reads the registry's agreements in force on the page's date, only those the reader may see.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scidip.errors import InvalidData, NotFound
from scidip.materials import scenario as sc
from scidip.materials.service import Context, ScenarioSpec, scenario

KINDS: dict[str, str] = {
    "restrict": "a supplier cuts its exports to the home country",
    "recycling": "the recycling input rate rises to",
    "substitution": "demand falls (substitution) by",
    "diversify": "imports move to partners",
}
"""The scenarios the service runs, in words."""

SPLITS = ("pro-rata", "equal")
FIELDS = (
    "kind", "material", "year", "pct", "supplier", "resource", "partners", "split",
    "min_stability", "exclude",
)  # fmt: skip
"""The form's fields (the query's names): :class:`ScenarioSpec`'s, as the CLI takes them."""

LABELS = {
    "kind": "Scenario", "material": "Material", "year": "Year", "pct": "Percentage",
    "supplier": "Supplier that cuts its exports", "resource": "Re-source", "partners": "Partners",
    "split": "Split among partners", "min_stability": "Least political stability",
    "exclude": "Leave out",
}  # fmt: skip
"""Each field's label, as the form and its list of problems name it."""

MAX_TEXT = 200
"""Longer input is cut there (a country list is a few dozen characters)."""

UNKNOWN_COUNTRY = "use an ISO alpha-3 code (CHN) or the trade data's name (China)"


def asked(query: Mapping[str, str]) -> bool:
    """Whether the page was sent the form (its scenario is chosen)."""
    return bool(query.get("kind"))


def typed(query: Mapping[str, str]) -> dict[str, str]:
    """The form's values as typed (missing ones empty, each at most :data:`MAX_TEXT` long)."""
    return {name: str(query.get(name, ""))[:MAX_TEXT].strip() for name in FIELDS}


def defaults(years: list[int]) -> dict[str, str]:
    """What the form shows before it is sent: China cutting half its exports in the latest
    year."""
    return {name: "" for name in FIELDS} | {
        "kind": "restrict",
        "year": str(years[-1]) if years else "",
        "pct": "50",
        "supplier": "CHN",
        "split": "pro-rata",
    }


@dataclass
class Checked:
    """The form read against the store: the scenario to run, or each problem by field."""

    problems: dict[str, str] = field(default_factory=dict)
    year: int = 0
    materials: list[str] | None = None
    spec: ScenarioSpec | None = None
    partners_note: str = ""


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def _countries(ctx: Context, text: str, problems: dict[str, str], name: str) -> list[str]:
    """The ISO codes of a comma-separated list of countries; an unknown one is a problem."""
    codes = _split(text)
    unknown = [c for c in codes if not ctx.index.knows(c)]
    if unknown:
        problems[name] = f"Unknown country {unknown[0]!r}: {UNKNOWN_COUNTRY}."
        return []
    return codes


def _number(text: str, low: float, high: float) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and low <= value <= high else None


def _supplier(ctx: Context, home: str, kind: str, supplier: str) -> str | None:
    """The problem with a restriction's supplier, if any."""
    if kind != "restrict":
        return None
    if not supplier:
        return "Name the supplier that cuts its exports, e.g. CHN."
    try:
        found = ctx.index.find(supplier)
    except NotFound:
        return f"Unknown country {supplier!r}: {UNKNOWN_COUNTRY}."
    if found.baci_code in ctx.economy(home).members:
        return f"{found.name} is the importer itself ({home})."
    return None


def _partners(
    ctx: Context, values: dict[str, str], out: Checked, in_force: Callable[[], list[str]]
) -> list[str]:
    """The partners named (a list, or ``agreements``); a problem for an unknown one, or for
    none where the scenario needs them."""
    text = values["partners"]
    if text.lower() == "agreements":
        partners = [c for c in in_force() if ctx.index.knows(c)]
        out.partners_note = f"agreement partners on the page's date: {', '.join(partners)}"
        if not partners:
            out.problems["partners"] = "No agreement partner in force on the page's date."
        return partners
    partners = _countries(ctx, text, out.problems, "partners")
    if values["kind"] == "diversify" and not text:
        out.problems["partners"] = "Name the partners to move imports to (USA,AUS) or 'agreements'."
    return partners


def check(
    ctx: Context,
    home: str,
    values: dict[str, str],
    years: list[int],
    in_force: Callable[[], list[str]],
) -> Checked:
    """Read the form against the store; ``years`` are those the page offers, ``in_force`` the
    agreement partners of the home country on the page's date (read only when asked for)."""
    out = Checked()
    problems = out.problems
    kind = values["kind"]
    if kind not in KINDS:
        problems["kind"] = "Choose one of the listed scenarios."
    if values["year"].isdigit() and int(values["year"]) in years:
        out.year = int(values["year"])
    else:
        span = f"{years[0]} to {years[-1]}" if years else "none"
        problems["year"] = f"Choose a year of data on or before the page's date ({span})."
    if values["material"]:
        try:
            out.materials = [ctx.catalog.find(values["material"]).name]
        except NotFound:
            problems["material"] = "Unknown material: choose one from the list."
    pct = _number(values["pct"], 0, 100)
    if pct is None:
        problems["pct"] = "Give a percentage from 0 to 100, e.g. 50."
    if (wrong := _supplier(ctx, home, kind, values["supplier"])) is not None:
        problems["supplier"] = wrong
    partners = _partners(ctx, values, out, in_force)
    split = values["split"] or "pro-rata"
    if split not in SPLITS:
        problems["split"] = "Choose pro-rata or equal."
    stability = _number(values["min_stability"], -2.5, 2.5) if values["min_stability"] else None
    if values["min_stability"] and stability is None:
        problems["min_stability"] = "Give a number from -2.5 to 2.5, e.g. 0."
    exclude = _countries(ctx, values["exclude"], problems, "exclude")
    if problems or pct is None:
        return out
    restrict = kind == "restrict"
    out.spec = ScenarioSpec(
        kind, values["supplier"] if restrict else None, pct / 100.0,
        restrict and (values["resource"] == "1" or bool(partners)), tuple(partners), split,
        stability, tuple(exclude),
    )  # fmt: skip
    return out


def run(ctx: Context, home: str, checked: Checked) -> tuple[list[sc.ScenarioResult], str | None]:
    """The scenario's results, or what the service refused and the field it concerns."""
    assert checked.spec is not None
    try:
        return scenario(ctx, home, checked.year, checked.materials, checked.spec), None
    except (InvalidData, NotFound) as exc:
        return [], str(exc)


def where(message: str) -> str:
    """The field a refusal of the service concerns (``_``: the form as a whole)."""
    return "partners" if "partner" in message else "_"


def rows(results: list[sc.ScenarioResult]) -> list[dict[str, Any]]:
    """The results as the page shows them, highest score after the scenario first."""

    def order(r: sc.ScenarioResult) -> tuple[float, str]:
        return (-(r.score_after if r.score_after is not None else -1.0), r.material)

    return [
        {
            "material": r.material,
            "before": r.score_before,
            "after": r.score_after,
            "change_pct": r.change_pct,
            "shortfall": (
                f"{tonnes(r.shortfall_t)} ({r.shortfall_pct or 0:.1f}% of supply)"
                if r.shortfall_t > 0
                else "none"
            ),
            "resourced": tonnes(r.resourced_t) if r.resourced_t > 0 else "none",
            "note": r.note,
            "moves": _moves(r.shares),
        }
        for r in sorted(results, key=order)
    ]


MOVES_SHOWN = 10
"""Shares of supply that moved shown per material (the rest counted), as the CLI's table."""


def _moves(shares: list[dict[str, Any]]) -> list[str]:
    """``CHN 29.4% → 14.7%``: each share of supply that moved, the first ten and how many more."""
    moves = [f"{s['source']} {_pct(s['before_pct'])} → {_pct(s['after_pct'])}" for s in shares]
    more = len(moves) - MOVES_SHOWN
    return moves[:MOVES_SHOWN] + ([f"and {more} more"] if more > 0 else [])


def tonnes(t: float) -> str:
    """Tonnes as the page says them: ``1,234 t``, ``2.5 t``."""
    return f"{t:,.0f} t" if t >= 10 else f"{t:.3g} t"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}%"


def form_context(
    ctx: Context,
    home: str,
    query: Mapping[str, str],
    years: list[int],
    in_force: Callable[[], list[str]],
) -> dict[str, Any]:
    """What the page's scenario section shows: the form (as typed, or its defaults), each
    problem by field, and the results beside the score as it is."""
    offered = {"kinds": KINDS, "splits": SPLITS, "materials": ctx.catalog.names(None),
               "labels": LABELS}  # fmt: skip
    if not asked(query):
        return {"form": defaults(years), "problems": {}, "asked": False, **offered}
    values = typed(query)
    checked = check(ctx, home, values, years, in_force)
    problems = dict(checked.problems)
    results: list[sc.ScenarioResult] = []
    if checked.spec is not None:
        results, refused = run(ctx, home, checked)
        if refused:
            problems[where(refused)] = refused[:1].upper() + refused[1:] + "."
    outcome = None
    if results:
        outcome = {
            "label": results[0].scenario,
            "year": checked.year,
            "rows": rows(results),
            "partners_note": checked.partners_note,
        }
    return {"form": values, "problems": problems, "asked": True, "outcome": outcome, **offered}
