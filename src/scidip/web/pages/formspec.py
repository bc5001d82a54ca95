"""The fields of a record's form, read from the concept's schema: which widget each field gets
(a partial date, a picker of another record, a list editor...), its label and help text.

Nothing here knows a concept by name except :data:`REFERS_TO`, which says which concept a
reference field names (a test checks it covers every reference field of every schema).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from scidip.registry.record import Concept
from scidip.registry.schemas import KEY_PATTERN, PARTIAL_DATE_PATTERN

REFERS_TO: dict[str, str] = {
    "addressee_person": "persons",
    "addressee_post": "posts",
    "agreement": "agreements",
    "authors": "persons",
    "committee": "committees",
    "counterpart": "parties",
    "counterpart_organisations": "organisations",
    "counterpart_parties": "parties",
    "home_party": "parties",
    "host": "organisations",
    "issuer": "organisations",
    "organisation": "organisations",
    "parent": "organisations",
    "participants": "persons",
    "parties": "parties",
    "party": "parties",
    "person": "persons",
    "post": "posts",
    "predecessor": "parties",
    "replaced_by": "agreements",
    "source": "sources",
    "successor": "parties",
    "via": "parties",
}
"""The concept a reference field names, by the field's name (the same in every schema)."""

LONG_TEXT = frozenset({"note", "summary", "outcomes", "outcome", "description", "statement"})
"""Text fields shown as a text area."""


@dataclass(frozen=True)
class FormField:
    """One field of a form.

    ``kind`` is the widget: ``text``, ``long`` (text area), ``number``, ``choice`` (an enum),
    ``choices`` (several of an enum), ``date`` (a partial date), ``ref`` (a picker of a record
    of ``target``), ``texts`` / ``refs`` (a list of texts or of records), ``rows`` (a list of
    structures, each with ``fields``).
    """

    name: str
    kind: str
    required: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()
    default: str = ""
    target: str | None = None
    fields: tuple[FormField, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        """The name in words: ``action_items`` → ``Action items``."""
        return self.name.replace("_", " ").capitalize()

    @property
    def noun(self) -> str:
        """One row of a list in words: ``action_items`` → ``action item``, ``parties`` →
        ``party``."""
        words = self.name.replace("follow_ups", "follow-ups").replace("_", " ")
        if words.endswith("ies"):
            return words[:-3] + "y"
        return words.removesuffix("s")

    @property
    def listed(self) -> bool:
        """Whether the field is a list editor (rows added and removed)."""
        return self.kind in ("texts", "refs", "rows")


def _deref(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in prop:
        return dict(defs[prop["$ref"].split("/")[-1]])
    return prop


def _options(prop: dict[str, Any], defs: dict[str, Any]) -> list[dict[str, Any]]:
    options = prop.get("anyOf", [prop])
    return [_deref(o, defs) for o in options if o.get("type") != "null"]


def _field(name: str, prop: dict[str, Any], required: bool, defs: dict[str, Any]) -> FormField:
    help_ = prop.get("description", "")
    options = _options(prop, defs)
    main = options[0] if options else {}
    default = prop.get("default")
    shown_default = "" if default is None or isinstance(default, list) else str(default)
    common: dict[str, Any] = {"required": required, "help": help_, "default": shown_default}
    if "enum" in main:
        return FormField(name, "choice", choices=tuple(main["enum"]), **common)
    if main.get("type") == "integer":
        return FormField(name, "number", **common)
    if main.get("type") == "array":
        items = _deref(main.get("items", {}), defs)
        if "enum" in items:
            return FormField(name, "choices", choices=tuple(items["enum"]), **common)
        if items.get("type") == "object":
            return FormField(name, "rows", fields=_fields_of(items, defs), **common)
        if items.get("pattern") == KEY_PATTERN:
            return FormField(name, "refs", target=REFERS_TO.get(name), **common)
        return FormField(name, "texts", **common)
    if main.get("pattern") == PARTIAL_DATE_PATTERN:
        return FormField(name, "date", **common)
    if main.get("pattern") == KEY_PATTERN and name != "key":
        return FormField(name, "ref", target=REFERS_TO.get(name), **common)
    return FormField(name, "long" if name in LONG_TEXT else "text", **common)


def _fields_of(schema: dict[str, Any], defs: dict[str, Any]) -> tuple[FormField, ...]:
    required = set(schema.get("required", []))
    return tuple(
        _field(name, prop, name in required, defs)
        for name, prop in schema.get("properties", {}).items()
    )


@cache
def form_fields(concept: Concept[Any, Any]) -> tuple[FormField, ...]:
    """The fields of ``concept``'s form, in the schema's order but with the record's sources
    last (after the facts they support)."""
    schema = concept.schema.model_json_schema()
    fields = _fields_of(schema, schema.get("$defs", {}))
    return tuple(sorted(fields, key=lambda f: f.name == "sources"))


def problem_label(fields: tuple[FormField, ...], path: str) -> str:
    """A field's path in words, rows counted from 1: ``action_items.1.description`` →
    ``Action item 2, description``; ``_`` (the form as a whole) → ``""``."""
    parts: list[str] = []
    current, last = fields, None
    for name in path.split("."):
        if name.isdigit() and last is not None:
            parts[-1] = f"{last.noun} {int(name) + 1}"
            continue
        found = next((f for f in current if f.name == name), None)
        if found is None:
            return ""
        parts.append(found.label.lower())
        current, last = found.fields, found
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def find_field(fields: tuple[FormField, ...], path: str) -> FormField | None:
    """The field at ``path`` (``action_items`` or ``actions.0.sources``), row numbers skipped."""
    names = [p for p in path.split(".") if not p.isdigit()]
    found: FormField | None = None
    current = fields
    for name in names:
        found = next((f for f in current if f.name == name), None)
        if found is None:
            return None
        current = found.fields
    return found
