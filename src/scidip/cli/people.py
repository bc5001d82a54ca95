"""``scidip posts``, ``scidip people``, ``scidip bodies``: who held what, and who sits where."""

from __future__ import annotations

import typer

from scidip.cli.common import AS_OF_OPTION, parse_as_of, session
from scidip.cli.output import FORMAT_OPTION, Format, render
from scidip.cli.records import write_commands
from scidip.registry.body.models import MembershipRole
from scidip.registry.body.service import members, memberships_of
from scidip.registry.person.service import PERSON, find_persons
from scidip.registry.post.service import appointments, holders, list_posts, posts_of
from scidip.registry.record import get

posts_app = typer.Typer(help="Posts and who held them.")
people_app = typer.Typer(help="Persons: find them, and their posts and memberships.")
bodies_app = typer.Typer(help="Bodies (boards, networks): their members by role.")


@posts_app.command("list")
def posts_list(ctx: typer.Context, fmt: Format = FORMAT_OPTION) -> None:
    """All posts. Example: scidip posts list"""
    with session(ctx) as s:
        rows = [
            {
                "post": p.key,
                "label": p.label,
                "organisation": p.organisation.key if p.organisation else None,
                "created": p.created,
            }
            for p in list_posts(s)
        ]
    render(rows, fmt, columns=["post", "label", "organisation", "created"], title="Posts")


@posts_app.command("holders")
def posts_holders(
    ctx: typer.Context,
    post: str = typer.Argument(..., help="Key of the post."),
    as_of: str | None = AS_OF_OPTION,
    history: bool = typer.Option(False, "--history", help="Every holder over time instead."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Who held a post on a date ('unknown' where the dates' precision cannot tell), or all
    holders over time. Example: scidip posts holders mofa-st-advisor --as-of 2022-12-31"""
    day = parse_as_of(as_of)
    with session(ctx) as s:
        found = [(a, None) for a in appointments(s, post)] if history else holders(s, post, day)
        rows = [
            {
                "person": a.person.key,
                "name": a.person.name,
                "start": a.start,
                "end": a.end,
                "active": t.value if t is not None else None,
            }
            for a, t in found
        ]
    title = f"Holders of {post}" + ("" if history else f" on {day}")
    render(
        rows,
        fmt,
        columns=["person", "name", "start", "end"] + ([] if history else ["active"]),
        title=title,
    )


@people_app.command("find")
def people_find(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="Part of a name or alias."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Persons whose name or alias contains the text. Example: scidip people find matsumoto"""
    with session(ctx) as s:
        rows = [
            {"person": p.key, "name": p.name, "other_names": [n["name"] for n in p.other_names]}
            for p in find_persons(s, text)
        ]
    render(rows, fmt, columns=["person", "name", "other_names"], title=f"Persons matching {text!r}")


@people_app.command("show")
def people_show(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Key of the person."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """A person's posts and memberships over time. Example: scidip people show matsumoto-yoichiro"""
    with session(ctx) as s:
        p = get(s, PERSON, person)
        rows = [
            {
                "kind": "post",
                "of": a.post.key,
                "label": a.post.label,
                "role": None,
                "start": a.start,
                "end": a.end,
            }
            for a in posts_of(s, p)
        ] + [
            {
                "kind": "membership",
                "of": m.organisation.key,
                "label": m.label or m.organisation.name,
                "role": m.role.value,
                "start": m.start,
                "end": m.end,
            }
            for m in memberships_of(s, p)
        ]
        title = f"{p.name}: posts and memberships"
    render(rows, fmt, columns=["kind", "of", "label", "role", "start", "end"], title=title)


@bodies_app.command("members")
def bodies_members(
    ctx: typer.Context,
    body: str = typer.Argument(..., help="Key of the organisation."),
    as_of: str | None = AS_OF_OPTION,
    role: MembershipRole | None = typer.Option(None, help="Only this role."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Members of a body on a date, chair first. Example: scidip bodies members advisory-board"""
    day = parse_as_of(as_of)
    with session(ctx) as s:
        rows = [
            {
                "person": m.person.key,
                "name": m.person.name,
                "role": m.role.value,
                "label": m.label,
                "start": m.start,
                "end": m.end,
                "active": t.value,
            }
            for m, t in members(s, body, day, role)
        ]
    render(
        rows,
        fmt,
        columns=["person", "name", "role", "label", "start", "end", "active"],
        title=f"Members of {body} on {day}",
    )


write_commands(posts_app, "posts")  # show, add, update, delete (cli/records.py)
