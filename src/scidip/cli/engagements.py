"""``scidip engagements`` and ``scidip documents``: events, recommendations and their status."""

from __future__ import annotations

from datetime import timedelta

import typer

from scidip.cli.common import AS_OF_OPTION, parse_as_of, parse_partial, session
from scidip.cli.output import FORMAT_OPTION, Format, render
from scidip.cli.records import write_commands
from scidip.registry.document.models import DocumentKind
from scidip.registry.document.service import find_documents
from scidip.registry.engagement.models import EngagementKind
from scidip.registry.engagement.service import find_engagements

engagements_app = typer.Typer(help="Engagements: visits, meetings, seminars, forums.")
documents_app = typer.Typer(help="Documents: recommendations, reports, statements.")


@engagements_app.command("list")
def engagements_list(
    ctx: typer.Context,
    period: str | None = typer.Option(None, "--period", help="A year, month or day, e.g. 2022."),
    person: str | None = typer.Option(None, help="Key of a participant."),
    party: str | None = typer.Option(None, help="Code of a counterpart or host state."),
    kind: EngagementKind | None = typer.Option(None, help="Only this kind."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Engagements by period, person, party and kind.

    Example: scidip engagements list --period 2022 --person matsumoto-yoichiro --kind visit
    """
    start = end = None
    if period:
        within = parse_partial(period)
        start, end = within.first, within.last + timedelta(days=1)
    with session(ctx) as s:
        rows = [
            {
                "key": e.key,
                "kind": e.kind.value,
                "date": e.date,
                "title": e.title,
                "places": e.place_text,
                "participants": [p.key for p in e.participants],
                "within": t.value,
            }
            for e, t in find_engagements(s, start, end, person, party, kind)
        ]
    render(
        rows,
        fmt,
        columns=["key", "kind", "date", "title", "places", "participants", "within"],
        title="Engagements",
    )


@documents_app.command("list")
def documents_list(
    ctx: typer.Context,
    kind: DocumentKind | None = typer.Option(None, help="Only this kind, e.g. recommendation."),
    party: str | None = typer.Option(None, help="Only documents concerning this party."),
    as_of: str | None = AS_OF_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Documents issued by a date, with their status then.

    Example: scidip documents list --kind recommendation --as-of 2022-12-31
    """
    day = parse_as_of(as_of)
    with session(ctx) as s:
        rows = [
            {
                "document": d.key,
                "kind": d.kind.value,
                "date": d.date,
                "title": d.title,
                "authors": [p.key for p in d.authors],
                "addressee": d.addressee_person.name if d.addressee_person else None,
                "status": st.value if st else None,
            }
            for d, st in find_documents(s, day, kind, party)
        ]
    render(
        rows,
        fmt,
        columns=["document", "kind", "date", "title", "authors", "addressee", "status"],
        title=f"Documents as of {day}",
    )


write_commands(engagements_app, "engagements")  # show, add, update, delete (cli/records.py)

write_commands(documents_app, "documents")  # show, add, update, delete (cli/records.py)
