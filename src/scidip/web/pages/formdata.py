"""A form's values both ways: a record shown as the form's flat fields, and a submitted form read
back as the schema's data, with each problem in plain words beside the field it concerns.

Field names are paths: ``title``; a partial date's parts ``date.year``, ``date.month``,
``date.day``, ``date.nlt`` ("no later than"), ``date.nb`` ("not before": a lower bound typed as
``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); a list's rows ``action_items.0.description``,
``sectors.1``; the number of rows of a list in ``_count.<path>``. What the user typed is kept as
typed (:class:`FormValues`), so that a refused form comes back as it was sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import ValidationError

from scidip.dates import PartialDate, Precision
from scidip.web.pages.formspec import FormField

FormValues = dict[str, Any]
"""Flat field path → text typed (a list of texts for a multiple choice)."""

COUNT = "_count."


def count(values: FormValues, path: str) -> int:
    """How many rows the list at ``path`` shows."""
    try:
        return max(0, int(values.get(COUNT + path, 0)))
    except (TypeError, ValueError):
        return 0


# A record shown in the form ----------------------------------------------------------------------


def date_parts(value: str | None) -> dict[str, str]:
    """A partial date (``..2022-06``, ``2001..2022``) as the widget's parts."""
    if not value:
        return {"year": "", "month": "", "day": "", "nlt": "", "nb": ""}
    when = PartialDate.parse(value)
    first = when.first
    precise = when.precision
    return {
        "year": f"{first.year:04d}",
        "month": str(first.month) if precise is not Precision.YEAR else "",
        "day": str(first.day) if precise is Precision.DAY else "",
        "nlt": "1" if when.not_after else "",
        "nb": str(when.not_before) if when.not_before is not None else "",
    }


def shown(fields: Iterable[FormField], payload: dict[str, Any], prefix: str = "") -> FormValues:
    """``payload`` (a record as its schema's JSON) as the form's flat values."""
    values: FormValues = {}
    for f in fields:
        path = prefix + f.name
        value = payload.get(f.name)
        if f.kind == "date":
            values |= {f"{path}.{part}": v for part, v in date_parts(value).items()}
        elif f.kind == "rows":
            items = value or []
            values[COUNT + path] = len(items)
            for i, item in enumerate(items):
                values |= shown(f.fields, item, f"{path}.{i}.")
        elif f.kind in ("texts", "refs"):
            items = value or []
            values[COUNT + path] = len(items)
            values |= {f"{path}.{i}": str(v) for i, v in enumerate(items)}
        elif f.kind == "choices":
            values[path] = [str(v) for v in value or []]
        else:
            values[path] = "" if value is None else str(value)
    return values


def submitted(form: Any, fields: Iterable[FormField]) -> FormValues:
    """The values of a submitted form (a Starlette ``FormData``), as typed."""
    multiple = _multiple_paths(fields)
    values: FormValues = {}
    for name, value in form.multi_items():
        if name in ("csrf_token", "version") or (
            name.startswith("_") and not name.startswith(COUNT)
        ):
            continue
        if re.sub(r"\.\d+\.", ".", name) in multiple or name in multiple:
            values.setdefault(name, []).append(str(value))
        else:
            values[name] = str(value)
    return values


def _multiple_paths(fields: Iterable[FormField], prefix: str = "") -> set[str]:
    found: set[str] = set()
    for f in fields:
        if f.kind == "choices":
            found.add(prefix + f.name)
        elif f.kind == "rows":
            found |= _multiple_paths(f.fields, f"{prefix}{f.name}.")
    return found


# Adding and removing rows ----------------------------------------------------------------------


def add_row(values: FormValues, path: str) -> FormValues:
    """``values`` with one more (empty) row in the list at ``path``."""
    return values | {COUNT + path: count(values, path) + 1}


def remove_row(values: FormValues, path: str) -> FormValues:
    """``values`` without row ``path`` (``action_items.1``); the rows after it move up."""
    head, _, index = path.rpartition(".")
    if not index.isdigit():
        return values
    gone = int(index)
    row = re.compile(rf"^(_count\.)?{re.escape(head)}\.(\d+)(\..*)?$")
    out: FormValues = {}
    for name, value in values.items():
        match = row.match(name)
        if match is None:
            out[name] = value
            continue
        number = int(match.group(2))
        if number == gone:
            continue
        if number > gone:
            name = f"{match.group(1) or ''}{head}.{number - 1}{match.group(3) or ''}"
        out[name] = value
    out[COUNT + head] = max(0, count(values, head) - 1)
    return out


# A submitted form read as data ------------------------------------------------------------------


class Problems(dict[str, str]):
    """Plain-words problems by field path (``_`` for the form as a whole)."""


def read_date(values: FormValues, path: str, problems: Problems) -> str | None:
    """The partial date typed in the widget at ``path`` (``..2022-06``, ``2001..2022``), or
    ``None`` if empty. A lower bound ("not before") makes the date "no later than" too."""
    year, month, day = (
        str(values.get(f"{path}.{p}", "")).strip() for p in ("year", "month", "day")
    )
    lower = str(values.get(f"{path}.nb", "")).strip()
    nlt = ".." if values.get(f"{path}.nlt") or lower else ""
    if not (year or month or day):
        if lower:
            problems[path] = "A lower bound (not before) needs the date it is no later than."
        return None
    if lower:
        try:
            bound = PartialDate.parse(lower)
        except ValueError:
            bound = None
        if bound is None or bound.not_after:
            problems[path] = "Give 'not before' as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2001."
            return None
        nlt = f"{bound}.."
    if not re.fullmatch(r"\d{4}", year):
        problems[path] = "Give the year as four digits, e.g. 2022."
        return None
    if day and not month:
        problems[path] = "A day needs its month."
        return None
    if month and not (month.isdigit() and 1 <= int(month) <= 12):
        problems[path] = "The month is a number from 1 to 12."
        return None
    if day:
        try:
            return nlt + date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            problems[path] = f"There is no day {day} in {year}-{int(month):02d}."
            return None
    return nlt + (f"{year}-{int(month):02d}" if month else year)


def _row_empty(fields: Iterable[FormField], values: FormValues, prefix: str) -> bool:
    for f in fields:
        path = prefix + f.name
        if f.kind in ("choice", "choices"):
            continue
        if f.kind == "date":
            if any(str(values.get(f"{path}.{p}", "")).strip() for p in ("year", "month", "day")):
                return False
        elif f.listed:
            if count(values, path):
                return False
        elif str(values.get(path, "")).strip():
            return False
    return True


def read(
    fields: Iterable[FormField], values: FormValues, problems: Problems, prefix: str = ""
) -> dict[str, Any]:
    """The data typed in the form, as the schema takes it; problems the form itself can see
    (a date that does not exist, a number that is not one) are added to ``problems``. An
    empty optional field is left out (the schema's default), an empty row is dropped."""
    data: dict[str, Any] = {}
    for f in fields:
        path = prefix + f.name
        if f.kind == "date":
            text = read_date(values, path, problems)
            if text is not None:
                data[f.name] = text
        elif f.kind == "rows":
            rows = [
                read(f.fields, values, problems, f"{path}.{i}.")
                for i in range(count(values, path))
                if not _row_empty(f.fields, values, f"{path}.{i}.")
            ]
            data[f.name] = rows
        elif f.kind in ("texts", "refs"):
            texts = (str(values.get(f"{path}.{i}", "")).strip() for i in range(count(values, path)))
            data[f.name] = [t for t in texts if t]
        elif f.kind == "choices":
            data[f.name] = [v for v in values.get(path, []) if v]
        else:
            text = str(values.get(path, "")).strip()
            if f.kind == "number" and text and not text.isdigit():
                problems[path] = "Enter a whole number, e.g. 3."
            elif text:
                data[f.name] = int(text) if f.kind == "number" else text
    return data


PLAIN: dict[str, str] = {
    "missing": "Required: please fill this in.",
    "string_pattern_mismatch": "Use only letters, digits and . _ : / - (no spaces).",
    "int_parsing": "Enter a whole number, e.g. 3.",
    "enum": "Choose one of the listed values.",
    "string_too_short": "Required: please fill this in.",
}


def explain(exc: ValidationError, problems: Problems) -> None:
    """The schema's refusals in plain words, each under the path of its field."""
    for e in exc.errors():
        path = ".".join(str(p) for p in e["loc"]) or "_"
        if e["type"] in PLAIN:
            message = PLAIN[e["type"]]
        elif e["type"] == "greater_than":
            message = f"Must be more than {e.get('ctx', {}).get('gt')}."
        elif e["type"] == "greater_than_equal":
            message = f"Must be at least {e.get('ctx', {}).get('ge')}."
        else:
            message = str(e["msg"]).removeprefix("Value error, ")
            message = message[:1].upper() + message[1:]
        problems.setdefault(path, message)
