"""Reconciliation: every published figure beside the registry's count on the figure's date.

The registry's count is the counting rule (:func:`scidip.registry.agreement.coverage.coverage`)
with the figure's home party and agreement kinds, on the last day of the period the figure holds
for. A figure *matches* when the numbers are equal. Either way the report lists what makes up the
difference: parties the figure names that the registry does not count (and the reverse), the
agreements and parties the registry knows but cannot count because no entry into force is
recorded (*undecided*, never counted), successor states with no recorded decision, and what
remains unknown to the registry. Nothing is tuned to the published number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.dates import PartialDate, Tri
from scidip.db.base import Sensitivity
from scidip.registry.access import visible
from scidip.registry.agreement.coverage import Coverage
from scidip.registry.agreement.models import Agreement, AgreementKind
from scidip.registry.agreement.queries import succession_suggestions
from scidip.registry.figure.models import FigureMetric, PublishedFigure
from scidip.registry.figure.service import FIGURE, list_figures
from scidip.registry.party.models import PartyKind, Succession
from scidip.reports.common import agreements_by_key, day_of, earliest_signature, visible_coverage
from scidip.reports.reconcile_other import OTHER_METRICS, meetings_held, members_on, period_of
from scidip.reports.sources import SourceBook, SourceEntry


@dataclass(frozen=True)
class Item:
    """One agreement or party in an explanation, with why it is listed."""

    code: str
    name: str
    reason: str


@dataclass
class FigureCheck:
    """One published figure beside the registry's computation."""

    key: str
    statement: str
    metric: FigureMetric
    published: int
    computed: int
    as_of: PartialDate | None
    on: date
    kinds: list[str]
    computed_sentence: str
    refs: list[int]
    counted: list[Item] = field(default_factory=list)
    named_not_counted: list[Item] = field(default_factory=list)
    counted_not_named: list[Item] = field(default_factory=list)
    undecided: list[Item] = field(default_factory=list)
    not_yet: list[Item] = field(default_factory=list)
    suggestions: list[Item] = field(default_factory=list)
    home_party: str = ""  # whose agreements (or committees) the figure counts

    @property
    def verdict(self) -> str:
        """``match`` or ``differs``."""
        return "match" if self.published == self.computed else "differs"

    @property
    def undecided_title(self) -> str:
        """What the undecided items are, for this metric."""
        if self.metric is FigureMetric.committee_meetings:
            return (
                "Meetings that the precision of their recorded dates cannot place in the period "
                "— undecided, never guessed"
            )
        if self.metric is FigureMetric.members:
            return (
                "Members whose recorded dates cannot tell whether they were members on the date "
                "— undecided, never guessed"
            )
        return (
            "Known to the registry but not counted, because no entry into force (or succession) "
            "is recorded for them — undecided, never guessed"
        )

    @property
    def undecided_cause(self) -> str:
        """What the difference is when the undecided items account for all of it."""
        if self.metric in (FigureMetric.committee_meetings, FigureMetric.members):
            return "dates that the registry knows only to a coarser precision"
        return "entries into force that no source available to the registry dates"

    @property
    def difference(self) -> int:
        """Published minus computed."""
        return self.published - self.computed

    @property
    def unexplained(self) -> int:
        """What the undecided items cannot account for: published minus (computed + undecided).
        Positive: that many the publication counts are unknown to the registry; negative: the
        registry would count that many more than published if every undecided item were in
        force."""
        return self.published - self.computed - len(self.undecided)


@dataclass
class Reconciliation:
    """Every published figure checked."""

    generated_on: date
    clearance: Sensitivity
    checks: list[FigureCheck]
    sources: list[SourceEntry]
    marking: Sensitivity = Sensitivity.public  # the highest sensitivity of what it states


def _counted(cov: Coverage, metric: FigureMetric, agreements: dict[str, Agreement]) -> list[Item]:
    if metric is FigureMetric.agreements:
        return [Item(k, agreements[k].title, "in force") for k in cov.agreements]
    lines = cov.states if metric is FigureMetric.states else cov.organisations
    first: dict[str, Item] = {}
    for s in lines:
        how = f"through succession to {s.via}'s agreement" if s.how == "succession" else "direct"
        first.setdefault(s.party, Item(s.party, s.party_name, f"{s.agreement} ({how})"))
    return sorted(first.values(), key=lambda i: i.code)


class Known:
    """What the checks of one reconciliation share, each read once: the home party's agreements
    that the reader may see (by kinds), and the dates of the recorded state successions."""

    def __init__(self, session: Session, clearance: Sensitivity) -> None:
        self.session, self.clearance = session, clearance
        self._agreements: dict[tuple[str, tuple[AgreementKind, ...] | None], dict[str, Agreement]]
        self._agreements = {}
        self._successions: dict[tuple[str, str], PartialDate] | None = None

    def agreements(self, home: str, kinds: list[AgreementKind] | None) -> dict[str, Agreement]:
        """The home party's agreements of ``kinds`` that the reader may see, by key."""
        key = (home, tuple(kinds) if kinds is not None else None)
        if key not in self._agreements:
            self._agreements[key] = agreements_by_key(self.session, home, kinds, self.clearance)
        return self._agreements[key]

    def became_successor(self, predecessor: str, successor: str) -> PartialDate | None:
        """The date of the recorded state succession from ``predecessor`` to ``successor`` (the
        successor exists as such only from then), or ``None`` when none is recorded."""
        if self._successions is None:
            self._successions = {}
            for x in self.session.scalars(select(Succession)).unique():
                pair = (x.predecessor.key, x.successor.key)
                known = self._successions.get(pair)
                if x.date is not None and (known is None or x.date < known):
                    self._successions[pair] = x.date
        return self._successions.get((predecessor, successor))


def _undecided(
    known: Known,
    cov: Coverage,
    metric: FigureMetric,
    agreements: dict[str, Agreement],
    on: date,
) -> tuple[list[Item], list[Item]]:
    """Items the registry cannot count (no entry into force recorded): those that may count on
    ``on``, and those that cannot — signed only after it, or a successor state covered only
    through a succession to its predecessor's agreement whose state succession (the successor's
    existence as such) is after it."""
    may: dict[str, Item] = {}
    after: dict[str, Item] = {}
    counted = {i.code for i in _counted(cov, metric, agreements)}
    for s in cov.undecided:
        if metric is FigureMetric.agreements:
            code, name = s.agreement, s.title
        elif (metric is FigureMetric.states) == (s.party_kind is PartyKind.state):
            code, name = s.party, s.party_name
        else:
            continue
        if code in counted:
            continue
        signed = earliest_signature(agreements[s.agreement])
        became = known.became_successor(s.via, s.party) if s.how == "succession" and s.via else None
        if signed is not None and signed.after(on) is Tri.YES:
            after.setdefault(code, Item(code, name, f"signed {signed.human()}, after the date"))
        elif became is not None and became.after(on) is Tri.YES:
            why = f"a successor of {s.via} only from {became.human()}, after the date"
            after.setdefault(code, Item(code, name, why))
        else:
            why = s.reason if metric is FigureMetric.agreements else f"{s.agreement}: {s.reason}"
            may.setdefault(code, Item(code, name, why))
    after = {k: v for k, v in after.items() if k not in may}
    return sorted(may.values(), key=lambda i: i.code), sorted(after.values(), key=lambda i: i.code)


def check_figure(
    session: Session,
    figure: PublishedFigure,
    book: SourceBook,
    clearance: Sensitivity,
    default_on: date,
    known: Known | None = None,
) -> FigureCheck:
    """One figure beside the registry's count on its date (``default_on`` when it has none);
    ``known``: what the checks of one reconciliation share."""
    known = known or Known(session, clearance)
    on = figure_day(figure, default_on)
    kinds = [AgreementKind(k) for k in figure.kinds] or None
    if figure.metric in OTHER_METRICS:
        return _check_other(session, figure, book, clearance, default_on, kinds)
    cov = visible_coverage(session, figure.home_party, on, kinds, clearance)
    agreements = known.agreements(figure.home_party, kinds)
    counted = _counted(cov, figure.metric, agreements)
    codes = {i.code for i in counted}
    undecided, not_yet = _undecided(known, cov, figure.metric, agreements, on)
    check = _new_check(figure, book, on, kinds, cov.sentence(), counted, undecided)
    check.not_yet = not_yet
    check.named_not_counted = [
        Item(p, p, "named by the publication, not counted by the registry")
        for p in figure.parties
        if p not in codes
    ]
    if figure.metric is not FigureMetric.agreements and figure.parties:
        named = set(figure.parties)
        check.counted_not_named = [i for i in counted if i.code not in named]
    if figure.metric is FigureMetric.states:
        check.suggestions = [
            Item(s.successor, s.successor_name, f"successor of {s.predecessor} ({s.agreement})")
            for s in succession_suggestions(session, figure.home_party, on, clearance=clearance)
            if s.successor not in codes
        ]
    return check


def figure_day(figure: PublishedFigure, default_on: date) -> date:
    """The day a figure holds on: the last day of its period, ``default_on`` when it gives none."""
    return day_of(figure.as_of) if figure.as_of is not None else default_on


def _check_other(
    session: Session,
    figure: PublishedFigure,
    book: SourceBook,
    clearance: Sensitivity,
    default_on: date,
    kinds: list[AgreementKind] | None,
) -> FigureCheck:
    """A figure of committee meetings held or of members (:mod:`.reconcile_other`)."""
    start, end = period_of(figure.as_of, default_on)
    on = end - timedelta(days=1)
    if figure.metric is FigureMetric.committee_meetings:
        counted, undecided = meetings_held(session, figure.home_party, kinds, start, end, clearance)
        sentence = (
            f"{len(counted)} joint committee meeting{'' if len(counted) == 1 else 's'} held "
            f"from {start.isoformat()} to {on.isoformat()}"
        )
    else:
        counted, undecided, sentence = members_on(session, figure, on, clearance)
    return _new_check(figure, book, on, kinds, sentence, counted, undecided)


def _new_check(
    figure: PublishedFigure,
    book: SourceBook,
    on: date,
    kinds: list[AgreementKind] | None,
    sentence: str,
    counted: list[Item],
    undecided: list[Item],
) -> FigureCheck:
    """A figure beside what the registry counts for it on ``on``."""
    return FigureCheck(
        key=figure.key,
        statement=figure.statement,
        metric=figure.metric,
        published=figure.value,
        computed=len(counted),
        as_of=figure.as_of,
        on=on,
        kinds=[k.value for k in kinds or []],
        computed_sentence=sentence,
        refs=book.cite(FIGURE.table, figure),
        counted=counted,
        undecided=undecided,
        home_party=figure.home_party,
    )


def reconcile(
    session: Session,
    generated_on: date,
    clearance: Sensitivity = Sensitivity.restricted,
    default_on: date | None = None,
    which: Callable[[list[PublishedFigure]], list[PublishedFigure]] | None = None,
) -> Reconciliation:
    """Check every published figure the reader may see (``default_on``, or ``generated_on``, is the
    date for a figure that gives none), or those of them that ``which`` picks."""
    book = SourceBook(session, clearance)
    known = Known(session, clearance)
    figures = visible(list_figures(session), clearance)
    checks = [
        check_figure(session, f, book, clearance, default_on or generated_on, known)
        for f in (which(figures) if which is not None else figures)
    ]
    return Reconciliation(generated_on, clearance, checks, book.entries(), book.highest)
