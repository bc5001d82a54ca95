"""The counting rule on a date, from the spans stored with every agreement (:mod:`.rule`).

``coverage()``: the agreements of the home party with at least one covered counterparty, the
distinct states and organisations covered, and the undecided lines, listed, never counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, select
from sqlalchemy.orm import Session, aliased

from scidip.dates import Tri
from scidip.db.base import Sensitivity, date_columns, stored_date
from scidip.registry.access import EVERYTHING, levels
from scidip.registry.agreement.models import Agreement, AgreementKind, CoverageSpan
from scidip.registry.agreement.rule import PartyFacts, PartyStatus, Span, covered_on, decide
from scidip.registry.party.models import Party, PartyKind


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
    if not recorded.

    Reads the stored spans (:class:`CoverageSpan`, two statements whatever the registry's size)
    and decides each on ``as_of``: the same answer as :func:`party_status` on every agreement."""
    result = Coverage(home=home, as_of=as_of, kinds=list(kinds or []))
    for agreement, lines in home_spans(session, home, kinds, clearance):
        # The explanation is built only for what is listed: the covered and the undecided.
        statuses = [
            decide(*line, as_of)
            for line in lines
            if covered_on(line[3], line[2], as_of) is not Tri.NO
        ]
        covered = [s for s in statuses if s.covered is Tri.YES]
        if covered:
            result.agreements.append(agreement)
        for s in covered:
            target = result.states if s.party_kind is PartyKind.state else result.organisations
            target.append(s)
        result.undecided.extend(s for s in statuses if s.covered is Tri.UNKNOWN)
    return result


SpanLine = tuple[str, str, PartyFacts, Span[int, int], str | None, str | None]
"""An agreement's key and title, a counterparty, its span, the keys of its predecessor and of the
replacing agreement: :func:`decide`'s arguments but the date."""


def home_spans(
    session: Session,
    home: str,
    kinds: list[AgreementKind] | None = None,
    clearance: Sensitivity = EVERYTHING,
) -> list[tuple[str, list[SpanLine]]]:
    """Every agreement of ``home`` (of ``kinds``) that a reader with ``clearance`` may see, by key,
    with the stored span of each counterparty the reader may see, in order of first action.

    Two statements: the parties, then the spans with their agreements. A predecessor or a
    replacing agreement the reader may not see is not named."""
    shown = levels(clearance)
    connection = plain_reads(session)
    parties = party_facts(connection, shown)
    home_id = id_of(parties, home)
    if home_id is None:
        return []
    own = acting_in(home_id)
    query = (
        select(*_SPAN_COLUMNS)
        .join(Agreement, Agreement.id == CoverageSpan.agreement_id)
        .outerjoin(_REPLACING, _REPLACING.id == CoverageSpan.replaced_by_id)
        .where(Agreement.id.in_(own), Agreement.sensitivity.in_(shown))
        .where(CoverageSpan.party_id != home_id)
        .order_by(Agreement.key, CoverageSpan.id)
    )
    if kinds:
        query = query.where(Agreement.kind.in_(kinds))
    found: dict[str, list[SpanLine]] = {}
    for row in connection.execute(query):
        key, title, party_id, via_id = row[0], row[1], row[2], row[4]
        party, party_shown = parties[party_id]
        lines = found.setdefault(key, [])
        if not party_shown:
            continue
        span: Span[int, int] = Span(
            party_id,
            row[3],
            via_id,
            stored_date(*row[5:10]),
            stored_date(*row[10:15]),
            row[15],
            None,
        )
        via = parties[via_id] if via_id is not None else None
        replaced_by = row[16] if row[17] in shown else None
        lines.append((key, title, party, span, via[0].key if via and via[1] else None, replaced_by))
    return list(found.items())


def plain_reads(session: Session) -> Connection:
    """The session's connection, for reading plain rows (no ORM loading on the way), after
    flushing what the session holds: plain reads skip the ORM's autoflush."""
    if session.autoflush:
        session.flush()
    return session.connection()


def id_of(parties: dict[int, tuple[PartyFacts, bool]], key: str) -> int | None:
    """The id of the party ``key`` in :func:`party_facts`' answer, if there is one."""
    return next((i for i, (p, _) in parties.items() if p.key == key), None)


def acting_in(party: int | None) -> Select[Any]:
    """The ids of the agreements under which ``party`` acts (it has a stored span)."""
    return select(CoverageSpan.agreement_id).where(CoverageSpan.party_id == party)


def party_facts(
    connection: Connection, shown: list[Sensitivity]
) -> dict[int, tuple[PartyFacts, bool]]:
    """Every party by id: what the rule needs of it, and whether the reader may see it."""
    found = {}
    for row in connection.execute(select(*_PARTY_COLUMNS)):
        facts = PartyFacts(row[1], row[2], row[3], stored_date(*row[4:9]), stored_date(*row[9:14]))
        found[row[0]] = facts, row[14] in shown
    return found


_REPLACING = aliased(Agreement)
_PARTY_COLUMNS = (
    Party.id,
    Party.key,
    Party.name,
    Party.kind,
    *date_columns(Party.__table__, "existed_from"),
    *date_columns(Party.__table__, "existed_until"),
    Party.sensitivity,
)
_SPAN_COLUMNS = (
    Agreement.key,
    Agreement.title,
    CoverageSpan.party_id,
    CoverageSpan.how,
    CoverageSpan.via_id,
    *date_columns(CoverageSpan.__table__, "since"),
    *date_columns(CoverageSpan.__table__, "ends"),
    CoverageSpan.end_kind,
    _REPLACING.key,
    _REPLACING.sensitivity,
)
