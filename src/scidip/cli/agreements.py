"""``scidip agreements ...``: coverage, a country's agreements, suggestions, terms."""

from __future__ import annotations

import typer

from scidip.cli.common import AS_OF_OPTION, home_of, parse_as_of, session
from scidip.cli.output import FORMAT_OPTION, Format, render, row_of
from scidip.cli.records import write_commands
from scidip.registry.agreement.coverage import coverage
from scidip.registry.agreement.models import AgreementKind
from scidip.registry.agreement.queries import (
    agreements_with,
    list_agreements,
    succession_suggestions,
    term_warnings,
)
from scidip.registry.results import coverage_result

app = typer.Typer(help="Agreements: coverage, a country's agreements, successions, terms.")

KIND = typer.Option(None, "--kind", "-k", help="Only these kinds (repeatable).")
STATUS_COLUMNS = ["party", "party_name", "agreement", "how", "via", "since", "covered", "reason"]


@app.command("coverage")
def coverage_cmd(
    ctx: typer.Context,
    as_of: str | None = AS_OF_OPTION,
    kind: list[AgreementKind] | None = KIND,
    fmt: Format = FORMAT_OPTION,
    lines: bool = typer.Option(
        False, "--lines", help="JSON: include each covered and undecided line (tables always do)."
    ),
) -> None:
    """Agreements in force on a date, the states and organisations they cover, and how.

    Example: scidip agreements coverage --as-of 2022-12-31 --kind agreement --kind arrangement
    """
    day = parse_as_of(as_of)
    with session(ctx) as s:
        cov = coverage(s, home_of(ctx, s), day, kind)
    rows = [row_of(x) for x in cov.states + cov.organisations]
    document = coverage_result(cov, lines).model_dump(mode="json")
    render(
        rows,
        fmt,
        columns=STATUS_COLUMNS,
        title=f"{cov.sentence()} (as of {day})",
        document=document,
    )
    if fmt is Format.table:
        if cov.undecided:
            render(
                [row_of(x) for x in cov.undecided],
                fmt,
                columns=STATUS_COLUMNS,
                title="Undecided at the precision recorded (not counted)",
            )
        typer.echo(cov.sentence())


@app.command("with")
def with_cmd(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Party code, e.g. KAZ, RUS, EU."),
    as_of: str | None = AS_OF_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """All agreements with one party, inherited ones included, and how each stands.

    Example: scidip agreements with KAZ --as-of 2022-12-31
    """
    day = parse_as_of(as_of)
    with session(ctx) as s:
        rows = [row_of(x) for x in agreements_with(s, home_of(ctx, s), code, day)]
    render(
        rows,
        fmt,
        columns=["agreement", "title", "how", "via", "since", "ended", "covered", "reason"],
        title=f"Agreements with {code.upper()} as of {day}",
    )


@app.command("suggestions")
def suggestions_cmd(
    ctx: typer.Context, as_of: str | None = AS_OF_OPTION, fmt: Format = FORMAT_OPTION
) -> None:
    """Successor states with no recorded decision on their predecessor's agreements (for review;
    never counted). Example: scidip agreements suggestions"""
    day = parse_as_of(as_of)
    with session(ctx) as s:
        rows = [row_of(x) for x in succession_suggestions(s, home_of(ctx, s), day)]
    render(
        rows,
        fmt,
        columns=["agreement", "predecessor", "successor", "successor_name", "succession_date"],
        title=f"Successions to review (as of {day})",
    )


@app.command("expiring")
def expiring_cmd(
    ctx: typer.Context,
    within: int = typer.Option(180, "--within", help="Days ahead to look."),
    as_of: str | None = AS_OF_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Agreements whose fixed term ends within N days, or has lapsed.

    Example: scidip agreements expiring --within 365 --as-of 2026-02-01
    """
    day = parse_as_of(as_of)
    with session(ctx) as s:
        rows = [row_of(x) for x in term_warnings(s, home_of(ctx, s), day, within)]
    render(
        rows,
        fmt,
        columns=["agreement", "title", "term_end", "state", "days_left"],
        title=f"Terms ending within {within} days of {day}, or lapsed",
    )


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    kind: list[AgreementKind] | None = KIND,
    party: str | None = typer.Option(None, help="Only agreements this party acted under."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """All agreements in the registry. Example: scidip agreements list --party RUS"""
    with session(ctx) as s:
        rows = [
            {
                "agreement": a.key,
                "title": a.title,
                "kind": a.kind.value,
                "parties": sorted({x.party.key for x in a.actions if x.party}),
                "actions": len(a.actions),
            }
            for a in list_agreements(s, kind, party)
        ]
    render(
        rows, fmt, columns=["agreement", "title", "kind", "parties", "actions"], title="Agreements"
    )


write_commands(app, "agreements")  # show, add, update, delete (cli/records.py)
