"""Ending a period and deleting a record (editors), each after a confirmation that names the
version shown: a stale version, or a record other records still name, is refused (409) and
nothing is changed. The writes are the API's (``web/api/records.py``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from scidip.errors import Conflict, InvalidData, NotFound
from scidip.registry.guarded import delete_visible, end_visible, visible_read
from scidip.registry.lookup import label_of
from scidip.registry.read import TEMPORAL
from scidip.registry.record import Concept
from scidip.web.deps import DbSession
from scidip.web.pages.context import Form, Page, PageUser, render
from scidip.web.pages.edit import concept_named
from scidip.web.pages.formdata import FormValues, Problems, date_parts, read_date
from scidip.web.pages.writes import STATUS, editor_only, refusal_status, singular, version_of

router = APIRouter(include_in_schema=False)


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
    editor_only(page)
    concept = concept_named(name)
    item = visible_read(db, concept, key, page.who)
    return _confirm(request, page, concept, item, "delete", item["version"])


@router.post("/records/{name}/{key}/delete", name="delete_record_page")
def delete_record_page(
    request: Request, name: str, key: str, db: DbSession, page: PageUser, form: Form
) -> Response:
    """Delete the record at the version confirmed; a stale one or one still referenced is
    refused (409) and nothing is deleted."""
    editor_only(page)
    concept = concept_named(name)
    item = visible_read(db, concept, key, page.who)
    version = version_of(form)
    try:
        delete_visible(db, concept, key, version, page.who)
    except Conflict as exc:
        problems = Problems({"_": str(exc)[:1].upper() + str(exc)[1:] + "."})
        return _confirm(request, page, concept, item, "delete", version, problems, status_code=409)
    return render(request, "deleted.html", page, noun=singular(concept), key=key, concept=concept)


@router.get("/records/{name}/{key}/end", response_class=HTMLResponse, name="end_page")
def end_page(request: Request, name: str, key: str, db: DbSession, page: PageUser) -> Response:
    """Ask for the end date of a period (appointments, memberships, parties, organisations)."""
    editor_only(page)
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
    editor_only(page)
    concept = concept_named(name)
    if concept.name not in TEMPORAL:
        raise NotFound(f"a {singular(concept)} has no period to end")
    item = visible_read(db, concept, key, page.who)
    version = version_of(form)
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
    parts = {p: values.get(f"on.{p}", "") for p in ("year", "month", "day", "nlt", "nb")}
    status = refusal_status(problems)
    return _confirm(request, page, concept, item, "end", version, problems, parts, status)
