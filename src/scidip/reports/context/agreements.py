"""The agreements paragraph of the annual report: the computed counts, the successions footnote,
and the home party's multilateral participation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from scidip.dates import PartialDate, Tri
from scidip.db.base import Sensitivity
from scidip.registry.agreement.models import (
    ActionKind,
    Agreement,
    AgreementAction,
    AgreementKind,
)
from scidip.registry.agreement.rule import PartyStatus
from scidip.registry.agreement.service import AGREEMENT
from scidip.registry.body.models import OrganisationKind
from scidip.registry.body.service import ORGANISATION, list_organisations
from scidip.reports.common import (
    BILATERAL,
    agreements_by_key,
    earliest_signature,
    visible_coverage,
)
from scidip.reports.sources import SourceBook


@dataclass(frozen=True)
class SuccessionGroup:
    """The successor states covered through one predecessor's agreement, grouped by date."""

    predecessor: str
    agreement: str
    signed: PartialDate | None
    by_date: list[tuple[str, list[str]]]  # (date as a reader says it, successor names)
    refs: list[int]


@dataclass(frozen=True)
class AgreementsSection:
    """The computed counts of bilateral agreements in force on a date, and how they are reached."""

    as_of: date
    sentence: str
    agreements: int
    states: int
    organisations: list[str]
    direct_states: int
    succession_states: int
    footnote: list[SuccessionGroup]
    undecided: list[str]  # titles of agreements signed by then with no entry into force recorded
    refs: list[int]


def _footnote(
    statuses: list[PartyStatus],
    agreements: dict[str, Agreement],
    names: dict[str, str],
    book: SourceBook,
) -> list[SuccessionGroup]:
    groups: dict[str, list[PartyStatus]] = {}
    for s in statuses:
        if s.how == "succession":
            groups.setdefault(s.agreement, []).append(s)
    found = []
    for key, members in groups.items():
        agreement = agreements[key]
        by_date: dict[str, list[str]] = {}
        for s in sorted(members, key=lambda s: (s.since.sort_key() if s.since else (), s.party)):
            when = s.since.human() if s.since is not None else "date not recorded"
            by_date.setdefault(when, []).append(s.party_name)
        cited = [
            c
            for a in agreement.actions
            if a.kind is ActionKind.succession and a.party is not None
            for c in a.sources
        ]
        via = members[0].via or ""
        found.append(
            SuccessionGroup(
                predecessor=names.get(via, via),
                agreement=agreement.title,
                signed=earliest_signature(agreement),
                by_date=[(d, sorted(n)) for d, n in by_date.items()],
                refs=book.cite_json(cited),
            )
        )
    return sorted(found, key=lambda g: g.signed.sort_key() if g.signed else ())


def agreements_section(
    session: Session,
    home: str,
    as_of: date,
    names: dict[str, str],
    book: SourceBook,
    clearance: Sensitivity,
) -> AgreementsSection:
    """The counting rule for the bilateral kinds on ``as_of``, explained."""
    cov = visible_coverage(session, home, as_of, BILATERAL, clearance)
    agreements = agreements_by_key(session, home, BILATERAL, clearance)
    counted = set(cov.agreements)
    undecided = sorted(
        {
            agreements[s.agreement].title
            for s in cov.undecided
            if s.agreement not in counted
            and (sig := earliest_signature(agreements[s.agreement])) is not None
            and sig.on_or_before(as_of) is not Tri.NO
        }
    )
    succession = cov.through_succession()
    return AgreementsSection(
        as_of=as_of,
        sentence=cov.sentence(),
        agreements=len(cov.agreements),
        states=len(cov.state_codes),
        organisations=[names.get(o, o) for o in cov.organisation_codes],
        direct_states=len(cov.state_codes) - len(succession),
        succession_states=len(succession),
        footnote=_footnote(cov.states, agreements, names, book),
        undecided=undecided,
        refs=book.cite(AGREEMENT.table, *(agreements[k] for k in cov.agreements)),
    )


@dataclass(frozen=True)
class MultilateralLine:
    """A multilateral agreement the home party takes part in, or an organisation it works with."""

    title: str
    actions: list[str]  # "signature 21 November 2006", ...
    in_force_since: PartialDate | None
    subjects: list[str]
    note: str | None
    refs: list[int]


def _action_text(action: AgreementAction) -> str:
    when = action.taken or action.effective
    kind = action.kind.value.replace("_", " ")
    return f"{kind} {when.human()}" if when is not None else kind


def _before(when: PartialDate | None, until: date | None) -> bool:
    """Whether a date can lie before ``until`` (an undated fact, or no ``until``, always can)."""
    return when is None or until is None or when.earliest < until


def multilateral(
    session: Session,
    home: str,
    book: SourceBook,
    clearance: Sensitivity,
    until: date | None = None,
) -> tuple[list[MultilateralLine], list[MultilateralLine]]:
    """The home party's multilateral agreements, and the international organisations recorded.

    With ``until`` (a period's exclusive end), an act dated on or after it is left out, and so is
    an agreement whose every dated act is, or an organisation founded then or later: a chapter
    for 2014 does not state an agreement signed in 2015."""
    lines = []
    for a in agreements_by_key(session, home, [AgreementKind.multilateral], clearance).values():
        dated = [x.taken or x.effective for x in a.actions if (x.taken or x.effective)]
        if dated and not any(_before(d, until) for d in dated):
            continue
        own = [
            x
            for x in a.actions
            if x.party is not None
            and x.party.key == home
            and _before(x.taken or x.effective, until)
        ]
        force = [
            x
            for x in a.actions
            if x.kind is ActionKind.entry_into_force and x.effective and _before(x.effective, until)
        ]
        lines.append(
            MultilateralLine(
                title=a.title,
                actions=[_action_text(x) for x in own],
                in_force_since=force[0].effective if force else None,
                subjects=list(a.subjects),
                note=a.note,
                refs=book.cite(AGREEMENT.table, a),
            )
        )
    organisations = [
        MultilateralLine(o.name, [], o.founded, [], o.note, book.cite(ORGANISATION.table, o))
        for o in list_organisations(session, OrganisationKind.international_organisation, clearance)
        if _before(o.founded, until)
    ]
    return lines, organisations
