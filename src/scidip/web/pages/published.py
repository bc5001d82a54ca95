"""The published figures beside the registry's, for the dashboard: the latest publication whose
figures hold on or before the date (the Bluebook 2023's count for the end of 2022...), each
figure with the registry's count on the same day, the agreements and parties the registry cannot
decide, and the successor states awaiting a decision; from :func:`scidip.reports.reconcile`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.registry.figure.models import FigureMetric, PublishedFigure
from scidip.reports.reconcile import FigureCheck, Item, Reconciliation, figure_day, reconcile


@dataclass(frozen=True)
class PublishedBeside:
    """One publication's figures on their day, beside the registry's."""

    publication: str
    on: date
    checks: dict[FigureMetric, FigureCheck]
    undecided: list[Item]  # agreements the registry cannot count yet (no entry into force)
    undecided_parties: list[Item]
    awaiting: list[Item]  # successor states with no recorded decision

    def side(self, published: bool) -> str:
        """ "32 / 46 + EU": agreements / states (+ organisations), published or the registry's."""
        counts = [
            str(check.published if published else check.computed)
            for metric in (FigureMetric.agreements, FigureMetric.states)
            if (check := self.checks.get(metric)) is not None
        ]
        text = " / ".join(counts)
        organisations = self.checks.get(FigureMetric.organisations)
        if organisations is None:
            return text
        codes = [i.code for i in organisations.counted]
        if not published:
            return f"{text} + {' + '.join(codes)}" if codes else text
        n = organisations.published
        same = n == len(codes) and not organisations.counted_not_named
        named = " + ".join(codes) if same else f"{n} organisation{'s' if n != 1 else ''}"
        return f"{text} + {named}" if n else text


def _publication(result: Reconciliation, check: FigureCheck) -> str:
    """A publication's short name: its first source's title up to the first comma."""
    for number in check.refs:
        entry = result.sources[number - 1]
        name = entry.title.split(",")[0]
        return name.split(" (")[0] if name.count("(") > name.count(")") else name
    return check.key


COVERAGE_METRICS = (FigureMetric.agreements, FigureMetric.states, FigureMetric.organisations)
"""The figures set beside the coverage: counts of agreements in force and of what they cover."""


def published_on(
    session: Session, as_of: date, clearance: Sensitivity, home: str | None = None
) -> PublishedBeside | None:
    """The latest publication's coverage figures (of ``home``'s agreements, when given) holding
    on or before ``as_of``, beside the registry's (only that day's figures are checked: the
    dashboard shows no other)."""

    def latest(figures: list[PublishedFigure]) -> list[PublishedFigure]:
        shown = [
            f
            for f in figures
            if f.metric in COVERAGE_METRICS and (home is None or f.home_party == home)
        ]
        days = [d for f in shown if (d := figure_day(f, as_of)) <= as_of]
        return [f for f in shown if figure_day(f, as_of) == max(days)] if days else []

    result = reconcile(session, date.today(), clearance, as_of, latest)
    return published_beside(result, as_of, home)


def published_beside(
    result: Reconciliation, as_of: date, home: str | None = None
) -> PublishedBeside | None:
    """The latest publication's coverage figures (of ``home``'s agreements, when given) holding
    on or before ``as_of`` (``None``: none)."""
    dated = [
        c
        for c in result.checks
        if c.on <= as_of and c.metric in COVERAGE_METRICS and (home is None or c.home_party == home)
    ]
    if not dated:
        return None
    on = max(c.on for c in dated)
    latest = [c for c in dated if c.on == on]
    name = _publication(result, latest[0])
    checks = {c.metric: c for c in latest if _publication(result, c) == name}
    undecided = (
        checks[FigureMetric.agreements].undecided if FigureMetric.agreements in checks else []
    )
    parties = [
        i for c in checks.values() if c.metric is not FigureMetric.agreements for i in c.undecided
    ]
    awaiting = [i for c in checks.values() for i in c.suggestions]
    return PublishedBeside(name, on, checks, undecided, parties, awaiting)
