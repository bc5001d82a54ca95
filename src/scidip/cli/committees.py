"""``scidip committees ...``: joint committees, their meetings and what is overdue."""

from __future__ import annotations

from datetime import timedelta

import typer

from scidip.cli.common import AS_OF_OPTION, parse_as_of, parse_partial, session
from scidip.cli.output import FORMAT_OPTION, Format, render, row_of
from scidip.cli.records import write_commands
from scidip.registry.committee.service import (
    committee_due,
    list_committees,
    meetings_in,
    overdue_committees,
)

app = typer.Typer(help="Joint committees under agreements: meetings, cadence, what is overdue.")


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    as_of: str | None = AS_OF_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Every committee with its last meeting and next due date. Example: scidip committees list"""
    day = parse_as_of(as_of)
    with session(ctx) as s:
        rows = [
            row_of(committee_due(c, day)) | {"agreement": c.agreement.key}
            for c in list_committees(s)
        ]
    render(
        rows,
        fmt,
        columns=[
            "committee",
            "agreement",
            "cadence_months",
            "last_meeting",
            "last_number",
            "next_due",
            "overdue",
        ],
        title=f"Joint committees as of {day}",
    )


@app.command("overdue")
def overdue_cmd(
    ctx: typer.Context,
    as_of: str | None = AS_OF_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Committees that have not met within their cadence. Example: scidip committees overdue"""
    day = parse_as_of(as_of)
    with session(ctx) as s:
        rows = [row_of(d) for d in overdue_committees(s, day)]
    render(
        rows,
        fmt,
        columns=[
            "committee",
            "name",
            "cadence_months",
            "last_meeting",
            "next_due",
            "overdue",
            "reason",
        ],
        title=f"Committees overdue on {day}",
    )


@app.command("meetings")
def meetings_cmd(
    ctx: typer.Context,
    period: str = typer.Argument(..., help="A year, month or day: 2022, 2022-06, 2022-06-15."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Committee meetings held in a period. Example: scidip committees meetings 2022"""
    within = parse_partial(period)
    with session(ctx) as s:
        rows = [
            {
                "key": m.key,
                "committee": m.committee.key,
                "number": m.number,
                "date": m.date,
                "place": m.place,
                "mode": m.mode.value if m.mode else None,
                "within": t.value,
            }
            for m, t in meetings_in(s, within.first, within.last + timedelta(days=1))
        ]
    render(
        rows,
        fmt,
        columns=["key", "committee", "number", "date", "place", "mode", "within"],
        title=f"Committee meetings in {within}",
    )


write_commands(app, "committees")  # show, add, update, delete (cli/records.py)
