"""``scidip <concept> add / update / end / delete``: write any record from the command line, for
scripting. A record is given as a YAML or JSON file (the schema of the dataset files and of the
API, ``scidip <concept> add --help`` names the fields) and/or ``--set FIELD=VALUE`` options; each
write goes through the registry's write path (``registry/record.py``): all or nothing, naming the
version read, audited under ``--actor``.

Each concept's group is built by :func:`write_commands`; the concepts that already have a group
of questions (``agreements``, ``committees``...) get the commands in that group.
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
import yaml
from pydantic import ValidationError

from scidip.cli.common import session
from scidip.cli.output import FORMAT_OPTION, Format, render
from scidip.errors import InvalidData
from scidip.registry import record as records
from scidip.registry.access import EVERYTHING
from scidip.registry.concepts import BY_NAME
from scidip.registry.read import TEMPORAL, read_record
from scidip.registry.record import Concept

FILE_ARGUMENT = typer.Argument(
    None, help="YAML or JSON file holding the record ('-': standard input).", show_default=False
)
SET_OPTION = typer.Option(
    [],
    "--set",
    "-s",
    help="FIELD=VALUE, repeatable; a list or structure in YAML flow style, e.g. "
    "'sectors=\\[energy, quantum]'; an empty VALUE clears the field.",
)
ACTOR_OPTION = typer.Option(None, "--actor", help="Name written in the audit log (default: you).")
VERSION_OPTION = typer.Option(
    None,
    "--version",
    help="The version you read (`show` prints it): refused if the record has changed since. "
    "Default: the version found now.",
)


def _value(field: str, text: str) -> Any:
    if text == "":
        return None
    if text[0] in "[{":
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InvalidData(f"--set {field}: not valid YAML or JSON ({exc})") from None
    return text


def given(file: Path | None, sets: list[str]) -> dict[str, Any]:
    """The fields given: the file's mapping, then each ``--set`` over it."""
    data: dict[str, Any] = {}
    if file is not None:
        name = "standard input" if str(file) == "-" else str(file)
        try:
            text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
            loaded = yaml.safe_load(text)
        except OSError as exc:
            raise InvalidData(f"{name}: cannot be read ({exc.strerror})") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f":{mark.line + 1}" if mark is not None else ""
            raise InvalidData(f"{name}{where}: not valid YAML or JSON") from None
        if not isinstance(loaded, dict):
            raise InvalidData(f"{name}: expected one record (a mapping of fields)")
        data |= loaded
    for item in sets:
        field, sep, text = item.partition("=")
        if not sep or not field.strip():
            raise InvalidData(f"--set {item!r}: write FIELD=VALUE")
        data[field.strip()] = _value(field.strip(), text.strip())
    return {k: v for k, v in data.items() if v is not None}


def validated(concept: Concept[Any, Any], data: dict[str, Any]) -> Any:
    """``data`` as the concept's schema; each refusal on a line of its own, naming its field."""
    try:
        return concept.schema.model_validate(data)
    except ValidationError as exc:
        lines = [f"{'.'.join(map(str, e['loc'])) or 'record'}: {e['msg']}" for e in exc.errors()]
        raise InvalidData(f"{concept.table} not saved:\n  " + "\n  ".join(lines)) from None


def _shown(concept: Concept[Any, Any], s: Any, key: str, done: str, fmt: Format) -> None:
    item = read_record(s, concept, records.get(s, concept, key), EVERYTHING)
    assert item is not None
    if fmt is Format.json:
        render([], fmt, document=item)
        return
    typer.echo(f"{done} {concept.table.replace('_', ' ')} {key} (version {item['version']}).")
    if fmt is Format.csv:
        render([item], fmt)


def _cell(value: Any) -> Any:
    """Structures as JSON, one list item a line, empty fields left out; anything else as is."""
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        items = ({k: x for k, x in v.items() if x not in (None, [], "")} for v in value)
        return "\n".join(json.dumps(v, ensure_ascii=False) for v in items)
    return value


def _stored(s: Any, concept: Concept[Any, Any], key: str) -> dict[str, Any]:
    item = read_record(s, concept, records.get(s, concept, key), EVERYTHING)
    assert item is not None
    return {k: v for k, v in item.items() if k in concept.schema.model_fields}


def _change(
    ctx: typer.Context,
    concept: Concept[Any, Any],
    key: str,
    changes: Callable[[], dict[str, Any]],
    version: int | None,
    actor: str | None,
    fmt: Format,
    done: str,
) -> None:
    """Write ``changes`` over the stored record, naming ``version`` (default: the one found)."""
    with session(ctx, write=True) as s:
        found = records.get(s, concept, key)
        read = found.version if version is None else version
        data = validated(concept, _stored(s, concept, key) | changes())
        saved = records.update(s, concept, key, data, read, actor or getpass.getuser())
        s.flush()
        _shown(concept, s, saved.key, done, fmt)


def write_commands(app: typer.Typer, name: str) -> typer.Typer:
    """Add ``add``, ``update``, ``delete`` (and, for records with a period, ``end``) for the
    concept ``name`` to ``app``."""
    concept = BY_NAME[name]
    noun = concept.table.replace("_", " ")
    a_noun = ("an " if noun[0] in "aeiou" else "a ") + noun
    fields = ", ".join(concept.schema.model_fields)

    @app.command("show", help=f"Show {a_noun}: its fields and version.")
    def show(
        ctx: typer.Context,
        key: str = typer.Argument(..., help=f"Key of the {noun}."),
        fmt: Format = FORMAT_OPTION,
    ) -> None:
        with session(ctx) as s:
            item = read_record(s, concept, records.get(s, concept, key), EVERYTHING)
        assert item is not None
        if fmt is Format.table:
            rows = [{"field": k, "value": _cell(v)} for k, v in item.items()]
            render(rows, fmt, title=f"{noun} {key}")
        else:
            render([item], fmt, document=item)

    @app.command("add", help=f"Add {a_noun} from a file and/or --set. Fields: {fields}.")
    def add(
        ctx: typer.Context,
        file: Path | None = FILE_ARGUMENT,
        sets: list[str] = SET_OPTION,
        actor: str | None = ACTOR_OPTION,
        fmt: Format = FORMAT_OPTION,
    ) -> None:
        with session(ctx, write=True) as s:
            data = validated(concept, given(file, sets))
            created = records.create(s, concept, data, actor or getpass.getuser())
            s.flush()
            _shown(concept, s, created.key, "Added", fmt)

    @app.command("update", help=f"Change fields of {a_noun}; the others stay as they are.")
    def update(
        ctx: typer.Context,
        key: str = typer.Argument(..., help=f"Key of the {noun}."),
        file: Path | None = FILE_ARGUMENT,
        sets: list[str] = SET_OPTION,
        version: int | None = VERSION_OPTION,
        actor: str | None = ACTOR_OPTION,
        fmt: Format = FORMAT_OPTION,
    ) -> None:
        _change(ctx, concept, key, lambda: given(file, sets), version, actor, fmt, "Updated")

    @app.command("delete", help=f"Delete {a_noun} no other record names.")
    def delete(
        ctx: typer.Context,
        key: str = typer.Argument(..., help=f"Key of the {noun}."),
        version: int | None = VERSION_OPTION,
        actor: str | None = ACTOR_OPTION,
    ) -> None:
        with session(ctx, write=True) as s:
            found = records.get(s, concept, key)
            read = found.version if version is None else version
            records.remove(s, concept, key, read, actor or getpass.getuser())
        typer.echo(f"Deleted {noun} {key}.")

    if name in TEMPORAL:
        end_field = TEMPORAL[name][1]

        @app.command("end", help=f"End {a_noun} on a date (its {end_field}, exclusive).")
        def end(
            ctx: typer.Context,
            key: str = typer.Argument(..., help=f"Key of the {noun}."),
            on: str = typer.Option(..., "--on", help="YYYY, YYYY-MM or YYYY-MM-DD."),
            version: int | None = VERSION_OPTION,
            actor: str | None = ACTOR_OPTION,
            fmt: Format = FORMAT_OPTION,
        ) -> None:
            _change(ctx, concept, key, lambda: {end_field: on}, version, actor, fmt, "Ended")

    return app


def _group(name: str, help_: str) -> typer.Typer:
    return write_commands(typer.Typer(help=help_, no_args_is_help=True), name)


sources_app = _group("sources", "Sources that records cite: add, update, delete.")
parties_app = _group("parties", "States and organisations that are parties: add, update, end.")
successions_app = _group("successions", "Successions of states: add, update, delete.")
organisations_app = _group("organisations", "Organisations (ministries, boards...): write.")
persons_app = _group("persons", "Persons: add, update, delete.")
appointments_app = _group("appointments", "Persons in posts: add, update, end.")
memberships_app = _group("memberships", "Persons in bodies: add, update, end.")
meetings_app = _group("meetings", "Meetings of joint committees: add, update, delete.")
figures_app = _group("figures", "Published figures: add, update, delete.")
