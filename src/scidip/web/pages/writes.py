"""Forms that write records (editors): new, edit, add one row to a record's list (an action of an
agreement, a follow-up of a recommendation), end a period, delete; and the pickers' lookup.

Every save goes through the same functions as the API (``web/api/records.py`` over
``registry/record.py``): all or nothing, naming the version read, within the writer's clearance.
A refused form comes back as it was typed, each problem beside its field, and nothing is saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError

from scidip.auth.models import Role
from scidip.auth.service import require
from scidip.errors import Conflict, InvalidData, NotFound, PermissionDenied
from scidip.registry.access import levels
from scidip.registry.concepts import BY_NAME, CONCEPTS
from scidip.registry.guarded import create_visible, update_visible, visible_read
from scidip.registry.lookup import labels, lookup
from scidip.registry.record import Concept
from scidip.registry.schemas import INT_MAX
from scidip.web.deps import DbSession
from scidip.web.pages.context import Form, Page, PageUser, render
from scidip.web.pages.edit import concept_named
from scidip.web.pages.formdata import (
    FormValues,
    Problems,
    add_row,
    explain,
    read,
    remove_row,
    shown,
    submitted,
)
from scidip.web.pages.formspec import FormField, find_field, form_fields, problem_label

router = APIRouter(include_in_schema=False)


def editor_only(page: Page) -> None:
    """Forms are for editors and admins: 403 for a viewer."""
    require(page.who, Role.editor)


def singular(concept: Concept[Any, Any]) -> str:
    """The concept's record in words: ``meeting``, ``party``."""
    return concept.table.replace("_", " ")


@dataclass(frozen=True)
class Screen:
    """One form page: its heading, where it posts, its fields, the version it shows (edits),
    and where "Cancel" goes."""

    heading: str
    action: str
    fields: tuple[FormField, ...]
    version: int | None = None
    back: str = "/"


def _show(
    request: Request,
    page: Page,
    db: Any,
    screen: Screen,
    values: FormValues,
    problems: Problems | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    problems = problems or Problems()
    fields = screen.fields
    return render(
        request,
        "form.html",
        page,
        status_code=status_code,
        screen=screen,
        fields=fields,
        values=values,
        problems=problems,
        labels={path: problem_label(fields, path) for path in problems},
        picked=_picked(db, page, fields, values),
        first_problem=_first_problem(fields, values, problems),
        conflict=status_code == 409,
        # An editor may not write above their clearance: only the levels they may write.
        writable=[level.value for level in levels(page.who.clearance)],
    )


def _submit(
    request: Request,
    page: Page,
    db: Any,
    form: Any,
    screen: Screen,
    write: Callable[[dict[str, Any]], str],
    prefix: str = "",
) -> Response:
    """A posted form: a list editor's "Add" or "Remove" shows it again with the row added or
    removed; "Save" writes it (``write`` gets the data and gives the page to go to) or shows it
    again as typed with what to change, nothing written."""
    values = submitted(form, screen.fields)
    changed = _handled_rows(form, values)
    if changed is not None:
        return _show(request, page, db, screen, changed)
    problems = Problems()
    target = _save(screen.fields, values, write, problems, prefix)
    if target is not None:
        return RedirectResponse(target, status_code=303)
    return _show(request, page, db, screen, values, problems, refusal_status(problems))


def _picked(
    db: Any, page: Page, fields: tuple[FormField, ...], values: FormValues
) -> dict[str, str]:
    """What each picked key names (``jc-deu`` → the committee's name), by field path: shown
    beside the picker. Keys of records the editor may not see get nothing."""
    wanted: dict[str, dict[str, str]] = {}
    for path in _paths(fields, values):
        found = find_field(fields, path)
        key = str(values.get(path, "")).strip()
        if found is None or found.target is None or not key:
            continue
        if found.kind == "ref" or (found.kind == "refs" and path.rpartition(".")[2].isdigit()):
            wanted.setdefault(found.target, {})[path] = key
    picked: dict[str, str] = {}
    for target, paths in wanted.items():
        named = labels(db, BY_NAME[target], page.who.clearance, list(paths.values()))
        picked |= {path: named[key] for path, key in paths.items() if key in named}
    return picked


def _paths(fields: tuple[FormField, ...], values: FormValues, prefix: str = "") -> list[str]:
    """Every field path of the form in the order it is shown (rows included)."""
    found: list[str] = []
    for f in fields:
        path = prefix + f.name
        found.append(path)
        if f.kind == "rows":
            for i in range(int(values.get(f"_count.{path}", 0) or 0)):
                found += [f"{path}.{i}", *_paths(f.fields, values, f"{path}.{i}.")]
        elif f.kind in ("texts", "refs"):
            found += [f"{path}.{i}" for i in range(int(values.get(f"_count.{path}", 0) or 0))]
    return found


def _first_problem(
    fields: tuple[FormField, ...], values: FormValues, problems: Problems
) -> str | None:
    """The first field, in the order shown, that has a problem: it gets the focus."""
    return next((p for p in _paths(fields, values) if p in problems), None)


_NO_SUCH = re.compile(r"\bno (\w+) with key")
_FIELD_MESSAGE = re.compile(r"^([a-z_]+(?:\.[a-z_]+)*): (.*)$")
_KEY_NAMED = re.compile(r"with key '([^']*)'")
_ROW_NUMBER = re.compile(r"\.\d+(?=\.|$)")


def _problem(
    problems: Problems,
    exc: Exception,
    fields: tuple[FormField, ...],
    values: FormValues,
    prefix: str = "",
) -> None:
    """A refusal of the registry, beside the field it names (``committee: no committee...``):
    for a key in a list (``participants``, ``actions.party``), beside each row holding that key,
    not above the list. ``prefix``: the rows' list of a form of one more row (``follow_ups.3.``),
    which the registry names and the form's fields do not."""
    text = _NO_SUCH.sub(lambda m: f"no {m.group(1).replace('_', ' ')} with key", str(exc))
    found = _FIELD_MESSAGE.match(text)
    named = found.group(1) if found else ""
    listed = _ROW_NUMBER.sub("", prefix)
    if listed and named.startswith(listed):
        named = named.removeprefix(listed)
    if not found or find_field(fields, named) is None:
        problems["_"] = text[:1].upper() + text[1:] + "."
        return
    message = found.group(2)
    message = message[:1].upper() + message[1:] + "."
    key = _KEY_NAMED.search(message)
    rows = _holding(fields, values, named, key.group(1)) if key else []
    for path in rows or [named]:
        problems[path] = message


def _holding(fields: tuple[FormField, ...], values: FormValues, named: str, key: str) -> list[str]:
    """The fields of the form under ``named`` (row numbers left out: ``actions.party``) that
    hold ``key``: the rows of a list of keys (``participants.2``), a row's picker
    (``actions.0.party``, ``sources.1.source``)."""
    return [
        path
        for path in _paths(fields, values)
        if (_ROW_NUMBER.sub("", path) in (named, f"{named}.{path.rpartition('.')[2]}"))
        and str(values.get(path, "")).strip() == key
    ]


def _handled_rows(form: Any, values: FormValues) -> FormValues | None:
    """The values after an "Add" or "Remove" button of a list editor; ``None`` for a save."""
    if form.get("_add"):
        return add_row(values, str(form["_add"]))
    if form.get("_remove"):
        return remove_row(values, str(form["_remove"]))
    return None


def _save(
    fields: tuple[FormField, ...],
    values: FormValues,
    write: Any,
    problems: Problems,
    prefix: str = "",
) -> Any:
    """Read the form, validate it with the schema and ``write`` it; ``None`` (and ``problems``)
    when anything is refused: then nothing was written."""
    data = read(fields, values, problems)
    if problems:
        return None
    try:
        return write(data)
    except ValidationError as exc:
        found = Problems()
        explain(exc, found)
        for path, message in found.items():
            problems[path.removeprefix(prefix) if prefix and path.startswith(prefix) else path] = (
                message
            )
    except (InvalidData, Conflict, PermissionDenied) as exc:
        _problem(problems, exc, fields, values, prefix)
        if not isinstance(exc, InvalidData):
            problems[STATUS] = "409" if isinstance(exc, Conflict) else "403"
    return None


STATUS = "_status"
"""Where :func:`_save` notes the status of a refusal other than 422 (409 stale, 403 above
the writer's clearance)."""


def refusal_status(problems: Problems) -> int:
    """The status of a refused form: 422, or what :func:`_save` noted."""
    return int(problems.pop(STATUS, 422))


# New records ----------------------------------------------------------------------------------


@router.get("/records/new", response_class=HTMLResponse, name="new_index")
def new_index(request: Request, page: PageUser) -> Response:
    """Every concept, each with its "New ..." form (editors)."""
    editor_only(page)
    return render(request, "new.html", page, concepts=[(c.name, singular(c)) for c in CONCEPTS])


def _new_screen(request: Request, concept: Concept[Any, Any]) -> Screen:
    query = urlencode({k: v for k, v in request.query_params.items() if k != "as_of"})
    return Screen(
        f"New {singular(concept)}",
        f"/records/{concept.name}/new" + (f"?{query}" if query else ""),
        form_fields(concept),
    )


@router.get("/records/{name}/new", response_class=HTMLResponse, name="new_page")
def new_page(request: Request, name: str, db: DbSession, page: PageUser) -> Response:
    """The form of a new record; the query names fields to fill in (``?committee=ca-jc``)."""
    editor_only(page)
    screen = _new_screen(request, concept_named(name))
    given = {k: v for k, v in request.query_params.items() if find_field(screen.fields, k)}
    return _show(request, page, db, screen, shown(screen.fields, given))


@router.post("/records/{name}/new", name="create_page")
def create_page(request: Request, name: str, db: DbSession, page: PageUser, form: Form) -> Response:
    """Create the record, or show the form again as typed with what to change."""
    editor_only(page)
    concept = concept_named(name)

    def write(data: dict[str, Any]) -> str:
        created = create_visible(db, concept, concept.schema.model_validate(data), page.who)
        return f"/records/{name}/{created.key}"

    return _submit(request, page, db, form, _new_screen(request, concept), write)


# Editing -----------------------------------------------------------------------------------------


def version_of(form: Any) -> int:
    """The version a form showed; :class:`InvalidData` (a 422 page) for anything but a whole
    number a version can be (``version=abc`` is a tampered form, not a server error)."""
    text = str(form.get("version", ""))
    if not re.fullmatch(r"[0-9]{1,10}", text) or not 1 <= int(text) <= INT_MAX:
        raise InvalidData(f"version: {text!r} is not a version; reload the record and edit again")
    return int(text)


def _edit_screen(concept: Concept[Any, Any], key: str, version: int) -> Screen:
    return Screen(
        f"Edit {singular(concept)} {key}",
        f"/records/{concept.name}/{key}/edit",
        form_fields(concept),
        version,
        f"/records/{concept.name}/{key}",
    )


@router.get("/records/{name}/{key}/edit", response_class=HTMLResponse, name="edit_page")
def edit_page(request: Request, name: str, key: str, db: DbSession, page: PageUser) -> Response:
    """The form of a record as the editor may see it, naming the version shown."""
    editor_only(page)
    concept = concept_named(name)
    item = visible_read(db, concept, key, page.who)
    screen = _edit_screen(concept, key, item["version"])
    return _show(request, page, db, screen, shown(screen.fields, item))


@router.post("/records/{name}/{key}/edit", name="edit_record")
def edit_record(
    request: Request, name: str, key: str, db: DbSession, page: PageUser, form: Form
) -> Response:
    """Save the form over the version it showed; a stale version is refused (409)."""
    editor_only(page)
    concept = concept_named(name)
    version = version_of(form)

    def write(data: dict[str, Any]) -> str:
        validated = concept.schema.model_validate(data)
        saved = update_visible(db, concept, key, validated, version, page.who)
        return f"/records/{name}/{saved['key']}"

    return _submit(request, page, db, form, _edit_screen(concept, key, version), write)


# One more row of a record's list: an action, a follow-up, an action item... ---------------------


def _add_screen(concept: Concept[Any, Any], key: str, field: str, version: int) -> Screen:
    rows = find_field(form_fields(concept), field)
    if rows is None or rows.kind != "rows":
        raise NotFound(f"{concept.name} has no list {field!r}")
    noun = ("an " if rows.noun[0] in "aeiou" else "a ") + rows.noun
    return Screen(
        f"Add {noun} to {singular(concept)} {key}",
        f"/records/{concept.name}/{key}/add/{field}",
        rows.fields,
        version,
        f"/records/{concept.name}/{key}",
    )


@router.get("/records/{name}/{key}/add/{field}", response_class=HTMLResponse, name="add_page")
def add_page(
    request: Request, name: str, key: str, field: str, db: DbSession, page: PageUser
) -> Response:
    """The form of one more row of a record's list (``?kind=entry_into_force`` fills it in)."""
    editor_only(page)
    concept = concept_named(name)
    item = visible_read(db, concept, key, page.who)
    screen = _add_screen(concept, key, field, item["version"])
    given = {k: v for k, v in request.query_params.items() if find_field(screen.fields, k)}
    return _show(request, page, db, screen, shown(screen.fields, given))


@router.post("/records/{name}/{key}/add/{field}", name="add_record_row")
def add_record_row(
    request: Request, name: str, key: str, field: str, db: DbSession, page: PageUser, form: Form
) -> Response:
    """Append the row to the record's list and save the record over the version read."""
    editor_only(page)
    concept = concept_named(name)
    version = version_of(form)
    screen = _add_screen(concept, key, field, version)
    stored = visible_read(db, concept, key, page.who)
    data = {k: v for k, v in stored.items() if k in concept.schema.model_fields}

    def write(row: dict[str, Any]) -> str:
        validated = concept.schema.model_validate(data | {field: [*stored[field], row]})
        saved = update_visible(db, concept, key, validated, version, page.who)
        return f"/records/{name}/{saved['key']}"

    prefix = f"{field}.{len(stored[field])}."  # the schema's paths of the new row's fields
    return _submit(request, page, db, form, screen, write, prefix)


# The pickers' lookup ------------------------------------------------------------------------------


@router.get("/lookup/{name}", name="lookup_records")
def lookup_records(
    name: str, db: DbSession, page: PageUser, q: str = "", limit: int = 20
) -> Response:
    """Records of a concept whose key, name or alias (English or Japanese) holds ``q``, as
    ``[{key, label}]``: what a picker offers as one types. Only what the reader may see."""
    concept = concept_named(name)
    found = lookup(db, concept, page.who.clearance, q.strip(), limit=max(1, min(limit, 50)))
    return JSONResponse(found)
