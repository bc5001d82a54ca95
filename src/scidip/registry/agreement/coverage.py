"""Which parties an agreement covers on a date, and the counting rule built on it.

One rule, one place: :func:`party_status` decides whether one agreement covers one party on one
date; coverage totals, a country's agreements, succession suggestions and the materials
scenarios all call it.

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

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from scidip.dates import PartialDate, Tri
from scidip.db.base import Sensitivity
from scidip.registry.access import EVERYTHING
from scidip.registry.agreement.models import ActionKind, Agreement, AgreementAction, AgreementKind
from scidip.registry.agreement.service import agreements_of, counterparties
from scidip.registry.party.models import Party, PartyKind
from scidip.registry.party.service import exists_on

_STARTS = (ActionKind.entry_into_force, ActionKind.accession)
_ENDS = (ActionKind.termination, ActionKind.supersession)


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


def action_date(action: AgreementAction) -> PartialDate | None:
    """When an action took effect, or when it was taken if no effective date is recorded."""
    return action.effective or action.taken


def term_end(agreement: Agreement) -> PartialDate | None:
    """The end (exclusive) of the agreement's fixed term: the latest ``until`` of its entries into
    force and extensions, or ``None`` for an agreement without a fixed term."""
    ends = [a.until for a in agreement.actions if a.until is not None]
    return max(ends) if ends else None


def _start(agreement: Agreement, party: Party) -> tuple[str, str | None, PartialDate | None]:
    own = [a for a in agreement.actions if a.party is not None and a.party.id == party.id]
    for action in own:
        if action.kind is ActionKind.succession:
            return "succession", action.via.key if action.via else None, action_date(action)
    for action in own + [a for a in agreement.actions if a.party is None]:
        if action.kind in _STARTS:
            return "direct", None, action_date(action)
    return "direct", None, None


def _end(agreement: Agreement, party: Party) -> tuple[PartialDate | None, str]:
    ends: list[tuple[PartialDate, str]] = []
    for action in agreement.actions:
        applies = action.party is None or action.party.id == party.id
        when = action_date(action)
        if applies and action.kind in _ENDS and when is not None:
            replaced = f" by {action.replaced_by.key}" if action.replaced_by else ""
            ends.append((when, f"{action.kind.value}{replaced}"))
    lapse = term_end(agreement)
    if lapse is not None:
        ends.append((lapse, "fixed term lapsed"))
    if party.existed_until is not None:
        ends.append((party.existed_until, f"{party.key} ceased to exist"))
    if not ends:
        return None, ""
    return min(ends, key=lambda e: e[0].sort_key())


def party_status(agreement: Agreement, party: Party, as_of: date) -> PartyStatus:
    """Does ``agreement`` cover ``party`` on ``as_of``? The one coverage rule (module docstring)."""
    how, via, since = _start(agreement, party)
    ended, end_reason = _end(agreement, party)
    started = Tri.UNKNOWN if since is None else since.on_or_before(as_of)
    not_ended = Tri.YES if ended is None else ended.after(as_of)
    covered = started.and_(not_ended).and_(exists_on(party, as_of))
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
            f"through succession to {via}'s agreement" if how == "succession" else "party to it"
        )
    return PartyStatus(
        agreement=agreement.key,
        title=agreement.title,
        party=party.key,
        party_name=party.name,
        party_kind=party.kind,
        covered=covered,
        how=how,
        via=via,
        since=since,
        ended=ended,
        reason=reason,
    )


@dataclass
class Coverage:
    """What the home party's agreements cover on a date, with the totals and how each is reached."""

    home: str
    as_of: date
    kinds: list[AgreementKind]
    agreements: list[str] = field(default_factory=list)
    states: list[PartyStatus] = field(default_factory=list)
    organisations: list[PartyStatus] = field(default_factory=list)
    undecided: list[PartyStatus] = field(default_factory=list)

    @property
    def state_codes(self) -> list[str]:
        """Distinct states covered, sorted."""
        return sorted({s.party for s in self.states})

    @property
    def organisation_codes(self) -> list[str]:
        """Distinct organisations covered, sorted."""
        return sorted({s.party for s in self.organisations})

    def directly(self) -> list[str]:
        """States covered by an agreement of their own (whatever else also covers them)."""
        return sorted({s.party for s in self.states if s.how == "direct"})

    def through_succession(self) -> list[str]:
        """States covered only through a predecessor's agreement."""
        direct = {s.party for s in self.states if s.how == "direct"}
        return sorted({s.party for s in self.states if s.how == "succession"} - direct)

    def sentence(self) -> str:
        """The totals as a sentence: "N agreements, in force with M countries and the EU"."""
        orgs = self.organisation_codes
        tail = f" and {', '.join('the ' + o if o == 'EU' else o for o in orgs)}" if orgs else ""
        n, m = len(self.agreements), len(self.state_codes)
        return (
            f"{n} agreement{'s' if n != 1 else ''}, in force with "
            f"{m} countr{'ies' if m != 1 else 'y'}{tail}"
        )


def coverage(
    session: Session,
    home: str,
    as_of: date,
    kinds: list[AgreementKind] | None = None,
    clearance: Sensitivity = EVERYTHING,
) -> Coverage:
    """The counting rule: agreements of ``kinds`` (all kinds if none) of the ``home`` party with at
    least one covered counterparty on ``as_of``, the distinct states and organisations covered,
    and the undecided ones (listed, never counted). Records above ``clearance`` are left out, as
    if not recorded."""
    result = Coverage(home=home, as_of=as_of, kinds=list(kinds or []))
    for agreement in agreements_of(session, home, kinds, clearance):
        parties = counterparties(agreement, home, clearance)
        statuses = [party_status(agreement, p, as_of) for p in parties]
        covered = [s for s in statuses if s.covered is Tri.YES]
        if covered:
            result.agreements.append(agreement.key)
        for s in covered:
            target = result.states if s.party_kind is PartyKind.state else result.organisations
            target.append(s)
        result.undecided.extend(s for s in statuses if s.covered is Tri.UNKNOWN)
    return result
