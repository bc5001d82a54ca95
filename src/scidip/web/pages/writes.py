"""Forms that write records (editors): new, edit, add one row to a record's list (an action of an
agreement, a follow-up of a recommendation), end a period, delete; and the pickers' lookup.

Every save goes through the same functions as the API (``web/api/records.py`` over
``registry/record.py``): all or nothing, naming the version read, within the writer's clearance.
A refused form comes back as it was typed, each problem beside its field, and nothing is saved.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError

from scidip.auth.models import Role
from scidip.auth.service import require
from scidip.errors import Conflict, InvalidData, NotFound, PermissionDenied
from scidip.registry.concepts import BY_NAME, CONCEPTS
from scidip.registry.read import TEMPORAL, label_of, labels, lookup
from scidip.registry.record import Concept
from scidip.web.api.records import (
    create_visible,
    delete_visible,
    end_visible,
    update_visible,
    visible_read,
)
from scidip.web.deps import DbSession
from scidip.web.pages.context import Form, Page, PageUser, render
from scidip.web.pages.edit import concept_named
from scidip.web.pages.formdata import (
    FormValues,
    Problems,
    add_row,
    date_parts,
    explain,
    read,
    read_date,
    remove_row,
    shown,
    submitted,
)
from scidip.web.pages.formspec import FormField, find_field, form_fields, problem_label

router = APIRouter(include_in_schema=False)


def _editor(page: Page) -> None:
    require(page.who, Role.editor)


def singular(concept: Concept[Any, Any]) -> str:
    """The concept's record in words: ``meeting``, ``party``."""
    return concept.table.replace("_", " ")


def _form(
    request: Request,
    page: Page,
    db: Any,
    *,
    heading: str,
    action: str,
    fields: tuple[FormField, ...],
    values: FormValues,
    problems: Problems | None = None,
    version: int | None = None,
    status_code: int = 200,
    back: str = "/",
) -> HTMLResponse:
    problems = problems or Problems()
    return render(
        request,
        "form.html",
        page,
        status_code=status_code,
        heading=heading,
        action=action,
        fields=fields,
        values=values,
        problems=problems,
        labels={path: problem_label(fields, path) for path in problems},
        picked=_picked(db, page, fields, values),
        first_problem=_first_problem(fields, values, problems),
        version=version,
        back=back,
        conflict=status_code == 409,
    )


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


def _problem(problems: Problems, exc: Exception, fields: tuple[FormField, ...]) -> None:
    """A refusal of the registry, beside the field it names (``committee: no committee...``)."""
    text = _NO_SUCH.sub(lambda m: f"no {m.group(1).replace('_', ' ')} with key", str(exc))
    found = _FIELD_MESSAGE.match(text)
    if found and find_field(fields, found.group(1)) is not None:
        message = found.group(2)
        problems[found.group(1)] = message[:1].upper() + message[1:] + "."
    else:
        problems["_"] = text[:1].upper() + text[1:] + "."


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
        _problem(problems, exc, fields)
        if not isinstance(exc, InvalidData):
            problems[STATUS] = "409" if isinstance(exc, Conflict) else "403"
    return None


STATUS = "_status"
"""Where :func:`_save` notes the status of a refusal other than 422 (409 stale, 403 above
the writer's clearance)."""


def _status(problems: Problems) -> int:
    return int(problems.pop(STATUS, 422))


# New records ----------------------------------------------------------------------------------


@router.get("/records/new", response_class=HTMLResponse, name="new_index")
def new_index(request: Request, page: PageUser) -> Response:
    """Every concept, each with its "New ..." form (editors)."""
    _editor(page)
    return render(request, "new.html", page, concepts=[(c.name, singular(c)) for c in CONCEPTS])


@router.get("/records/{name}/new", response_class=HTMLResponse, name="new_page")
def new_page(request: Request, name: str, db: DbSession, page: PageUser) -> Response:
    """The form of a new record; the query names fields to fill in (``?committee=ca-jc``)."""
    _editor(page)
    concept = concept_named(name)
    fields = form_fields(concept)
    given = {k: v for k, v in request.query_params.items() if k != "as_of"}
    values = shown(fields, {k: v for k, v in given.items() if find_field(fields, k)})
    return _form(
        request,
        page,
        db,
        heading=f"New {singular(concept)}",
        action=f"/records/{name}/new?{urlencode(given)}",
        fields=fields,
        values=values,
    )


@router.post("/records/{name}/new", name="create_page")
def create_page(request: Request, name: str, db: DbSession, page: PageUser, form: Form) -> Response:
    """Create the record, or show the form again as typed with what to change."""
    _editor(page)
    concept = concept_named(name)
    fields = form_fields(concept)
    values = submitted(form, fields)
    problems = Problems()
    changed = _handled_rows(form, values)
    if changed is None:

        def write(data: dict[str, Any]) -> Any:
            return create_visible(db, concept, concept.schema.model_validate(data), page.who)

        record = _save(fields, values, write, problems)
        if record is not None:
            return RedirectResponse(f"/records/{name}/{record.key}", status_code=303)
    return _form(
        request,
        page,
        db,
        heading=f"New {singular(concept)}",
        action=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
        fields=fields,
        values=changed if changed is not None else values,
        problems=problems,
        status_code=200 if changed is not None else _status(problems),
    )


# Editing -----------------------------------------------------------------------------------------


@router.get("/records/{name}/{key}/edit", response_class=HTMLResponse, name="edit_page")
def edit_page(request: Request, name: str, key: str, db: DbSession, page: PageUser) -> Response:
    """The form of a record as the editor may see it, naming the version shown."""
    _editor(page)
    concept = concept_named(name)
    item = visible_read(db, concept, key, page.who)
    fields = form_fields(concept)
    return _form(
        request,
        page,
        db,
        heading=f"Edit {singular(concept)} {key}",
        action=f"/records/{name}/{key}/edit",
        fields=fields,
        values=shown(fields, item),
        version=item["version"],
        back=f"/records/{name}/{key}",
    )


def _version(form: Any) -> int:
    text = str(form.get("version", ""))
    return int(text) if text.isdigit() else 0


@router.post("/records/{name}/{key}/edit", name="edit_record")
def edit_record(
    request: Request, name: str, key: str, db: DbSession, page: PageUser, form: Form
) -> Response:
    """Save the form over the version it showed; a stale version is refused (409)."""
    _editor(page)
    concept = concept_named(name)
    fields = form_fields(concept)
    values = submitted(form, fields)
    version = _version(form)
    problems = Problems()
    changed = _handled_rows(form, values)
    if changed is None:

        def write(data: dict[str, Any]) -> Any:
            validated = concept.schema.model_validate(data)
            return update_visible(db, concept, key, validated, version, page.who)

        record = _save(fields, values, write, problems)
        if record is not None:
            return RedirectResponse(f"/records/{name}/{record['key']}", status_code=303)
    return _form(
        request,
        page,
        db,
        heading=f"Edit {singular(concept)} {key}",
        action=f"/records/{name}/{key}/edit",
        fields=fields,
        values=changed if changed is not None else values,
        problems=problems,
        version=version,
        status_code=200 if changed is not None else _status(problems),
        back=f"/records/{name}/{key}",
    )


# One more row of a record's list: an action, a follow-up, an action item... ---------------------


def _list_field(concept: Concept[Any, Any], field: str) -> FormField:
    found = find_field(form_fields(concept), field)
    if found is None or found.kind != "rows":
        raise NotFound(f"{concept.name} has no list {field!r}")
    return found


@router.get("/records/{name}/{key}/add/{field}", response_class=HTMLResponse, name="add_page")
def add_page(
    request: Request, name: str, key: str, field: str, db: DbSession, page: PageUser
) -> Response:
    """The form of one more row of a record's list (``?kind=entry_into_force`` fills it in)."""
    _editor(page)
    concept = concept_named(name)
    rows = _list_field(concept, field)
    item = visible_read(db, concept, key, page.who)
    given = {k: v for k, v in request.query_params.items() if find_field(rows.fields, k)}
    return _form(
        request,
        page,
        db,
        heading=f"Add {_row_name(rows)} to {singular(concept)} {key}",
        action=f"/records/{name}/{key}/add/{field}",
        fields=rows.fields,
        values=shown(rows.fields, given),
        version=item["version"],
        back=f"/records/{name}/{key}",
    )


def _row_name(rows: FormField) -> str:
    noun = rows.noun
    return ("an " if noun[0] in "aeiou" else "a ") + noun


@router.post("/records/{name}/{key}/add/{field}", name="add_record_row")
def add_record_row(
    request: Request, name: str, key: str, field: str, db: DbSession, page: PageUser, form: Form
) -> Response:
    """Append the row to the record's list and save the record over the version read."""
    _editor(page)
    concept = concept_named(name)
    rows = _list_field(concept, field)
    values = submitted(form, rows.fields)
    version = _version(form)
    problems = Problems()
    changed = _handled_rows(form, values)
    if changed is None:
        stored = visible_read(db, concept, key, page.who)
        schema_fields = concept.schema.model_fields
        position = len(stored[field])

        def write(row: dict[str, Any]) -> Any:
            data = {k: v for k, v in stored.items() if k in schema_fields}
            data[field] = [*stored[field], row]
            validated = concept.schema.model_validate(data)
            return update_visible(db, concept, key, validated, version, page.who)

        record = _save(rows.fields, values, write, problems, prefix=f"{field}.{position}.")
        if record is not None:
            return RedirectResponse(f"/records/{name}/{record['key']}", status_code=303)
    return _form(
        request,
        page,
        db,
        heading=f"Add {_row_name(rows)} to {singular(concept)} {key}",
        action=f"/records/{name}/{key}/add/{field}",
        fields=rows.fields,
        values=changed if changed is not None else values,
        problems=problems,
        version=version,
        status_code=200 if changed is not None else _status(problems),
        back=f"/records/{name}/{key}",
    )


# Ending and deleting, each confirmed --------------------------------------------------------------


def _confirm(
    request: Request,
    page: Page,
    concept: Concept[Any, Any],
    item: dict[str, Any],
    what: str,
    version: int,
    problems: Problems | None = None,
    values: FormValues | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "confirm.html",
        page,
        status_code=status_code,
        concept=concept,
        noun=singular(concept),
        item=item,
        label=label_of(concept, item),
        what=what,
        version=version,
        problems=problems or Problems(),
        values=values or date_parts(None),
        end_field=TEMPORAL.get(concept.name, ("", ""))[1],
    )


@router.get("/records/{name}/{key}/delete", response_class=HTMLResponse, name="delete_page")
def delete_page(request: Request, name: str, key: str, db: DbSession, page: PageUser) -> Response:
    """Ask before deleting a record."""
    _editor(page)
    concept = concept_named(name)
    item = visible_read(db, concept, key, page.who)
    return _confirm(request, page, concept, item, "delete", item["version"])


@router.post("/records/{name}/{key}/delete", name="delete_record_page")
def delete_record_page(
    request: Request, name: str, key: str, db: DbSession, page: PageUser, form: Form
) -> Response:
    """Delete the record at the version confirmed; a stale one or one still referenced is
    refused (409) and nothing is deleted."""
    _editor(page)
    concept = concept_named(name)
    item = visible_read(db, concept, key, page.who)
    version = _version(form)
    try:
        delete_visible(db, concept, key, version, page.who)
    except Conflict as exc:
        problems = Problems({"_": str(exc)[:1].upper() + str(exc)[1:] + "."})
        return _confirm(request, page, concept, item, "delete", version, problems, status_code=409)
    return render(request, "deleted.html", page, noun=singular(concept), key=key, concept=concept)


@router.get("/records/{name}/{key}/end", response_class=HTMLResponse, name="end_page")
def end_page(request: Request, name: str, key: str, db: DbSession, page: PageUser) -> Response:
    """Ask for the end date of a period (appointments, memberships, parties, organisations)."""
    _editor(page)
    concept = concept_named(name)
    if concept.name not in TEMPORAL:
        raise NotFound(f"a {singular(concept)} has no period to end")
    item = visible_read(db, concept, key, page.who)
    return _confirm(request, page, concept, item, "end", item["version"])


@router.post("/records/{name}/{key}/end", name="end_record_page")
def end_record_page(
    request: Request, name: str, key: str, db: DbSession, page: PageUser, form: Form
) -> Response:
    """End the period on the date given, over the version confirmed."""
    _editor(page)
    concept = concept_named(name)
    if concept.name not in TEMPORAL:
        raise NotFound(f"a {singular(concept)} has no period to end")
    item = visible_read(db, concept, key, page.who)
    version = _version(form)
    values = {k: str(v) for k, v in form.items()}
    problems = Problems()
    on = read_date(values, "on", problems)
    if on is None and not problems:
        problems["on"] = "Required: give at least the year."
    if not problems:
        try:
            end_visible(db, concept, key, str(on), version, page.who)
            return RedirectResponse(f"/records/{name}/{key}", status_code=303)
        except (InvalidData, Conflict) as exc:
            problems["_"] = str(exc)[:1].upper() + str(exc)[1:] + "."
            if isinstance(exc, Conflict):
                problems[STATUS] = "409"
    parts = {p: values.get(f"on.{p}", "") for p in ("year", "month", "day", "nlt")}
    status = _status(problems)
    return _confirm(request, page, concept, item, "end", version, problems, parts, status)


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
