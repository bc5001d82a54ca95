"""The coverage rule: whether an agreement covers a party on a date.

One rule, one place: :func:`party_status` decides whether one agreement covers one party on one
date, in two halves — :func:`spans`, what the agreement's actions say for each party whatever the
date (stored with every save of the agreement, see :mod:`.coverage`), and :func:`decide`, on a
date. Coverage totals, a country's agreements, succession suggestions and the materials scenarios
all rest on it.

The rule, for a counterparty P of agreement A on ``as_of``:

* P's coverage **starts** with its own ``succession`` action (covered *through succession*, via
  the predecessor the action names) or else with the entry into force (or accession) that applies
  to P — its own, or one for the agreement as a whole. Nothing recorded: not known to be in force.
  Coverage by succession is never inferred from the succession of states alone.
* It **ends** with P's (or the whole agreement's) termination or supersession, with the lapse of
  a fixed term (the latest ``until`` of the entries into force and extensions), or when P ceases to
  exist.
* P is covered when started and not ended, by the interval rule ``start <= as_of < end``; where a
  date's precision cannot decide, the answer is *unknown* and the party is listed as undecided,
  never counted.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from scidip.dates import PartialDate, Tri, active_on
from scidip.registry.agreement.models import ActionKind, Agreement, AgreementAction
from scidip.registry.party.models import Party, PartyKind

_STARTS = (ActionKind.entry_into_force, ActionKind.accession)
_ENDS = (ActionKind.termination, ActionKind.supersession)
LAPSE = "lapse"
"""The ``end_kind`` of a span that ends when the agreement's fixed term lapses."""

P = TypeVar("P", bound=Hashable)  # how a party is named: an ORM object or a row id
A = TypeVar("A", bound=Hashable)  # how an agreement is named, likewise


@dataclass(frozen=True)
class PartyStatus:
    """How agreement ``agreement`` stands for party ``party`` on a date."""

    agreement: str
    title: str
    party: str
    party_name: str
    party_kind: PartyKind
    covered: Tri
    how: str  # "direct" or "succession"
    via: str | None  # predecessor code, for a succession
    since: PartialDate | None
    ended: PartialDate | None  # when coverage ended or will end, if recorded
    reason: str  # why covered, not covered, or undecided


@dataclass(frozen=True, slots=True)
class Act(Generic[P, A]):
    """One agreement action, as the rule reads it (from an ORM action or from plain rows)."""

    kind: ActionKind
    party: P | None
    when: PartialDate | None  # when it took effect, or when it was taken
    until: PartialDate | None
    via: P | None
    replaced_by: A | None


@dataclass(frozen=True, slots=True)
class Span(Generic[P, A]):
    """How an agreement covers one party, whatever the date: the first half of the rule.

    ``end`` is the earliest end that the agreement's own actions give (a termination or a
    supersession that applies to the party, or the lapse of the fixed term); the party's ceasing
    to exist is added when a date is asked (:func:`decide`), since it is a fact of the party.
    """

    party: P
    how: str  # "direct" or "succession"
    via: P | None  # the predecessor, for a succession
    since: PartialDate | None
    end: PartialDate | None
    end_kind: str | None  # "termination", "supersession" or LAPSE
    replaced_by: A | None  # the replacing agreement, for a supersession


@dataclass(frozen=True, slots=True)
class PartyFacts:
    """What the rule needs to know of a party."""

    key: str
    name: str
    kind: PartyKind
    existed_from: PartialDate | None
    existed_until: PartialDate | None


def action_date(action: AgreementAction) -> PartialDate | None:
    """When an action took effect, or when it was taken if no effective date is recorded."""
    return action.effective or action.taken


def acts_of(agreement: Agreement) -> list[Act[Party, Agreement]]:
    """The agreement's actions as the rule reads them, in order."""
    return [
        Act(a.kind, a.party, action_date(a), a.until, a.via, a.replaced_by)
        for a in agreement.actions
    ]


def term_end(agreement: Agreement) -> PartialDate | None:
    """The end (exclusive) of the agreement's fixed term: the latest ``until`` of its entries into
    force and extensions, or ``None`` for an agreement without a fixed term."""
    return term_end_of(acts_of(agreement))


def term_end_of(acts: Sequence[Act[P, A]]) -> PartialDate | None:
    """:func:`term_end` of an agreement's actions."""
    ends = [a.until for a in acts if a.until is not None]
    return max(ends) if ends else None


def _start(acts: Sequence[Act[Any, Any]], party: Any) -> tuple[str, Any, PartialDate | None]:
    own = [a for a in acts if a.party is not None and a.party == party]
    for act in own:
        if act.kind is ActionKind.succession:
            return "succession", act.via, act.when
    for act in own + [a for a in acts if a.party is None]:
        if act.kind in _STARTS:
            return "direct", None, act.when
    return "direct", None, None


def _end(acts: Sequence[Act[Any, Any]], party: Any) -> tuple[PartialDate | None, str | None, Any]:
    ends: list[tuple[PartialDate, str, Any]] = []
    for act in acts:
        applies = act.party is None or act.party == party
        if applies and act.kind in _ENDS and act.when is not None:
            ends.append((act.when, act.kind.value, act.replaced_by))
    lapse = term_end_of(acts)
    if lapse is not None:
        ends.append((lapse, LAPSE, None))
    if not ends:
        return None, None, None
    return min(ends, key=lambda e: e[0].sort_key())


def spans(acts: Sequence[Act[P, A]]) -> list[Span[P, A]]:
    """The span of every party that acts under the agreement, in order of its first action."""
    parties: dict[P, None] = {}
    for act in acts:
        if act.party is not None:
            parties.setdefault(act.party)
    found = []
    for party in parties:
        how, via, since = _start(acts, party)
        end, end_kind, replaced_by = _end(acts, party)
        found.append(Span(party, how, via, since, end, end_kind, replaced_by))
    return found


def _answers(
    span: Span[Any, Any], party: PartyFacts, as_of: date
) -> tuple[Tri, Tri, Tri, PartialDate | None, bool]:
    """Started, not ended, covered; the end (the party's ceasing to exist if that comes first)
    and whether it is that ceasing."""
    since, ended, ceased = span.since, span.end, party.existed_until
    ceasing = ceased is not None and (ended is None or ceased.sort_key() < ended.sort_key())
    if ceasing:
        ended = ceased
    started = Tri.UNKNOWN if since is None else since.on_or_before(as_of)
    not_ended = Tri.YES if ended is None else ended.after(as_of)
    covered = started.and_(not_ended).and_(active_on(party.existed_from, ceased, as_of))
    return started, not_ended, covered, ended, ceasing


def covered_on(span: Span[Any, Any], party: PartyFacts, as_of: date) -> Tri:
    """:func:`decide`'s answer alone (yes, no or unknown), without building its explanation."""
    return _answers(span, party, as_of)[2]


def decide(
    agreement: str,
    title: str,
    party: PartyFacts,
    span: Span[Any, Any],
    via: str | None,
    replaced_by: str | None,
    as_of: date,
) -> PartyStatus:
    """The second half of the rule: how ``span`` (of ``agreement`` for ``party``, with the keys
    of its predecessor ``via`` and its replacing agreement) stands on ``as_of``."""
    started, not_ended, covered, ended, ceasing = _answers(span, party, as_of)
    since = span.since
    if ceasing:
        end_reason = f"{party.key} ceased to exist"
    elif span.end_kind == LAPSE:
        end_reason = "fixed term lapsed"
    elif span.end_kind is not None:
        end_reason = span.end_kind + (f" by {replaced_by}" if replaced_by else "")
    else:
        end_reason = ""
    if since is None:
        reason = "no entry into force or succession recorded"
    elif not_ended is Tri.NO:
        reason = end_reason
    elif not_ended is Tri.UNKNOWN:
        reason = f"{end_reason} ({ended}): cannot tell at that precision"
    elif started is Tri.NO:
        reason = f"not yet in force (from {since})"
    elif started is Tri.UNKNOWN:
        reason = f"in force from {since}: cannot tell at that precision"
    else:
        reason = (
            f"through succession to {via or 'a predecessor'}'s agreement"
            if span.how == "succession"
            else "party to it"
        )
    return PartyStatus(
        agreement=agreement,
        title=title,
        party=party.key,
        party_name=party.name,
        party_kind=party.kind,
        covered=covered,
        how=span.how,
        via=via,
        since=since,
        ended=ended,
        reason=reason,
    )


def facts_of(party: Party) -> PartyFacts:
    """What the rule needs of a stored party."""
    return PartyFacts(party.key, party.name, party.kind, party.existed_from, party.existed_until)


def party_status(agreement: Agreement, party: Party, as_of: date) -> PartyStatus:
    """Does ``agreement`` cover ``party`` on ``as_of``? The one coverage rule (module docstring):
    the party's span (:func:`spans`) decided on the date (:func:`decide`)."""
    acts = acts_of(agreement)
    span = next((s for s in spans(acts) if s.party == party), None)
    if span is None:  # the party does not act under the agreement
        span = Span(party, "direct", None, None, *_end(acts, party))
    via = span.via.key if span.via is not None else None
    replaced_by = span.replaced_by.key if span.replaced_by is not None else None
    return decide(agreement.key, agreement.title, facts_of(party), span, via, replaced_by, as_of)
