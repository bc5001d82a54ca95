"""Schemas of the registry's answers, each field described: the API returns them (they are its
OpenAPI) and the command line's ``--format json`` prints them, so that one question gets one
answer in one shape wherever it is asked.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from scidip.dates import PartialDate, Tri
from scidip.registry.agreement.models import AgreementKind

if TYPE_CHECKING:
    from scidip.registry.agreement.coverage import Coverage
    from scidip.registry.agreement.rule import PartyStatus


def plain(value: Any) -> Any:
    """A result value as JSON-ready data: partial dates as text, tri-state answers as words."""
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, Tri):
        return value.value
    if hasattr(value, "value") and isinstance(value.value, str):  # an enum
        return value.value
    return value


def row(item: Any) -> dict[str, Any]:
    """A result dataclass as a JSON-ready row."""
    return {f.name: plain(getattr(item, f.name)) for f in dataclasses.fields(item)}


class Out(BaseModel):
    """Base of the result schemas."""

    model_config = ConfigDict(extra="forbid")


class PartyStatusOut(Out):
    """How one agreement stands for one party on a date (the coverage rule)."""

    agreement: str = Field(description="Key of the agreement.")
    title: str = Field(description="Title of the agreement.")
    party: str = Field(description="Code of the party.")
    party_name: str = Field(description="Name of the party.")
    party_kind: str = Field(description="state or organisation")
    covered: str = Field(description="yes, no, or unknown at the precision of the dates.")
    how: str = Field(description="direct, or succession (through a predecessor's agreement).")
    via: str | None = Field(description="For a succession: the predecessor's code.")
    since: str | None = Field(description="When coverage started (partial date).")
    ended: str | None = Field(description="When coverage ended or ends, if recorded.")
    reason: str = Field(description="Why covered, not covered, or undecided.")


class CoverageTotals(Out):
    """How many of each the counting rule finds on a date."""

    agreements: int = Field(description="Agreements with at least one covered party.")
    states: int = Field(description="Distinct states covered.")
    organisations: int = Field(description="Distinct organisations covered.")
    undecided: int = Field(description="Agreement-party lines the dates cannot decide.")


class CoverageOut(Out):
    """The counting rule on a date: agreements in force, states and organisations covered.

    The totals come first; the lines (each covered or undecided party of each agreement, with
    why) only when asked for, since at the size of a large registry they run to megabytes."""

    home: str = Field(description="Code of the home party.")
    as_of: date = Field(description="The date counted for.")
    kinds: list[AgreementKind] = Field(description="Agreement kinds counted.")
    totals: CoverageTotals = Field(description="The counts.")
    sentence: str = Field(description="The totals in words.")
    agreements: list[str] = Field(description="Keys of the agreements with a covered party.")
    state_codes: list[str] = Field(description="Distinct states covered.")
    organisation_codes: list[str] = Field(description="Distinct organisations covered.")
    through_succession: list[str] = Field(description="States covered only by succession.")
    states: list[PartyStatusOut] | None = Field(
        description="Each state covered, and how; null unless the lines are asked for."
    )
    organisations: list[PartyStatusOut] | None = Field(
        description="Each organisation covered; null unless the lines are asked for."
    )
    undecided: list[PartyStatusOut] | None = Field(
        description="Parties the dates cannot decide; null unless the lines are asked for."
    )


class TermWarningOut(Out):
    """An agreement whose fixed term ends soon or has ended."""

    agreement: str = Field(description="Key of the agreement.")
    title: str = Field(description="Title of the agreement.")
    term_end: str = Field(description="End (exclusive) of the term (partial date).")
    state: str = Field(description="expiring or lapsed")
    days_left: int | None = Field(description="Days from as_of to the end, if expiring.")


class CommitteeDueOut(Out):
    """When a committee last met and when it is next due."""

    committee: str = Field(description="Key of the committee.")
    name: str = Field(description="Name of the committee.")
    cadence_months: int | None = Field(description="Months between meetings.")
    last_meeting: str | None = Field(description="Date of the last meeting held.")
    last_number: int | None = Field(description="Number of the last meeting held.")
    next_due: str | None = Field(description="When the next meeting is due.")
    overdue: str = Field(description="yes, no or unknown.")
    reason: str = Field(description="Why.")


class HolderOut(Out):
    """An appointment to a post, with whether it is active on the date."""

    appointment: str = Field(description="Key of the appointment.")
    person: str = Field(description="Key of the person.")
    person_name: str = Field(description="Name of the person.")
    start: str | None = Field(description="First day (partial date).")
    end: str | None = Field(description="End, exclusive (partial date).")
    active: str = Field(description="yes, or unknown at the precision of the dates.")


class MemberOut(Out):
    """A membership of a body active on the date."""

    membership: str = Field(description="Key of the membership.")
    person: str = Field(description="Key of the person.")
    person_name: str = Field(description="Name of the person.")
    role: str = Field(description="chair, vice_chair or member")
    label: str | None = Field(description="Title, e.g. 'Professor Emeritus'.")
    start: str | None = Field(description="First day (partial date).")
    end: str | None = Field(description="End, exclusive (partial date).")
    active: str = Field(description="yes, or unknown at the precision of the dates.")


class DatedOut(Out):
    """An engagement or a meeting found in a period."""

    key: str = Field(description="Key of the engagement or meeting.")
    kind: str = Field(description="Kind of engagement, or 'meeting' for a committee meeting.")
    title: str = Field(description="Title.")
    date: str | None = Field(description="When (partial date).")
    within: str = Field(description="yes, or unknown: falls in the period at that precision.")


class DocumentStatusOut(Out):
    """A document issued by the date, with its follow-up status then."""

    key: str = Field(description="Key of the document.")
    kind: str = Field(description="recommendation, report or statement")
    title: str = Field(description="Title.")
    date: str | None = Field(description="When issued (partial date).")
    status: str | None = Field(description="Status on the date; null if no step taken yet.")


class SuggestionOut(Out):
    """A successor state with no decision recorded on a predecessor's agreement."""

    agreement: str = Field(description="Key of the agreement.")
    title: str = Field(description="Title of the agreement.")
    predecessor: str = Field(description="Code of the predecessor state.")
    successor: str = Field(description="Code of the successor state.")
    successor_name: str = Field(description="Name of the successor state.")
    succession_date: str | None = Field(description="Date of the succession of states.")


class AuditOut(Out):
    """One change in the audit log."""

    id: int = Field(description="Entry number.")
    at: datetime = Field(description="When (UTC).")
    actor: str = Field(description="Who made the change.")
    action: str = Field(description="create, update or delete")
    record_table: str = Field(description="Table of the record.")
    record_key: str = Field(description="Key of the record.")
    before: dict[str, Any] | None = Field(description="The record before; null for a creation.")
    after: dict[str, Any] | None = Field(description="The record after; null for a deletion.")


class AuditPage(Out):
    """A page of the audit log, newest first."""

    items: list[AuditOut] = Field(description="Entries of this page.")
    total: int = Field(description="Entries passing the filters, on all pages.")
    limit: int = Field(description="Page size asked for.")
    offset: int = Field(description="Entries skipped.")


class TokenOut(Out):
    """A new API token, shown once."""

    access_token: str = Field(description="The bearer token; send as 'Authorization: Bearer'.")
    token_type: str = Field(description="Always 'bearer'.")


class MeOut(Out):
    """The user asking."""

    username: str = Field(description="Login name.")
    role: str = Field(description="viewer, editor or admin")
    clearance: str = Field(description="public, internal or restricted")


def coverage_result(c: Coverage, lines: bool = False) -> CoverageOut:
    """The answer of :func:`scidip.registry.agreement.coverage.coverage` in its one shape: the
    totals, and the lines if ``lines``."""

    def out(statuses: list[PartyStatus]) -> list[PartyStatusOut] | None:
        return [PartyStatusOut(**row(s)) for s in statuses] if lines else None

    return CoverageOut(
        home=c.home,
        as_of=c.as_of,
        kinds=list(c.kinds),
        totals=CoverageTotals(
            agreements=len(c.agreements),
            states=len(c.state_codes),
            organisations=len(c.organisation_codes),
            undecided=len(c.undecided),
        ),
        sentence=c.sentence(),
        agreements=c.agreements,
        state_codes=c.state_codes,
        organisation_codes=c.organisation_codes,
        through_succession=c.through_succession(),
        states=out(c.states),
        organisations=out(c.organisations),
        undecided=out(c.undecided),
    )
