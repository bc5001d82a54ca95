"""Schema pieces shared by every concept: partial dates, keys, citations, names."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    field_validator,
)

from scidip.dates import PartialDate
from scidip.db.base import Sensitivity


def _parse_partial_date(value: Any) -> PartialDate:
    if isinstance(value, (str, date, PartialDate)):
        return PartialDate.parse(value)
    if isinstance(value, int):
        return PartialDate.parse(str(value))
    raise ValueError(f"expected a partial date (YYYY, YYYY-MM, YYYY-MM-DD), got {value!r}")


PARTIAL_DATE_PATTERN = r"^((\d{4}(-\d{2}(-\d{2})?)?)?\.\.)?\d{4}(-\d{2}(-\d{2})?)?$"
"""How a partial date is written (``2022``, ``..2022-06``, ``2001..2022``): the JSON schema's
pattern, by which the forms know a date field."""

PartialDateField = Annotated[
    PartialDate,
    PlainValidator(_parse_partial_date),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": PARTIAL_DATE_PATTERN,
            "description": "YYYY, YYYY-MM or YYYY-MM-DD; a leading '..' means 'no later than', "
            "a leading 'A..' 'not before A and no later than'.",
        }
    ),
]
"""A partial date in schemas: parsed from text, written back at its precision."""

KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$"
"""What a key may be; the read side finds reference fields by it (``registry.read``)."""

Key = Annotated[
    str,
    Field(
        min_length=1,
        max_length=160,
        pattern=KEY_PATTERN,
        description="Stable identifier: letters, digits and . _ : / -",
    ),
]

SortedKeys = Annotated[list[Key], AfterValidator(lambda keys: sorted(set(keys)))]
"""A set of references, kept sorted so that equal sets compare equal."""


INT_MAX = 2**31 - 1
"""The largest integer a field may hold: what an INTEGER column holds on PostgreSQL too."""


def _without_nul(value: Any) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("text may not contain the NUL character (U+0000)")
    elif isinstance(value, (list, tuple)):
        for item in value:
            _without_nul(item)
    elif isinstance(value, dict):
        for item in value.values():
            _without_nul(item)


def _text(value: str) -> str:
    _without_nul(value)
    return value


Text = Annotated[str, AfterValidator(_text)]
"""Text outside a schema (a query parameter) that may not hold a NUL character either."""


class Schema(BaseModel):
    """Base of every schema: unknown fields are refused, so typos surface as errors; text with a
    NUL character is refused (PostgreSQL cannot store it), on every database alike."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        _without_nul(value)
        return value


class CitationIn(Schema):
    """A citation of a source by a record."""

    source: Key = Field(description="Key of the source.")
    locator: str = Field(default="", description="Where in the source: section, page, footnote.")


class OtherName(Schema):
    """A name in another language or form."""

    name: str = Field(description="The name.")
    lang: str | None = Field(default=None, description="BCP 47 language tag, e.g. 'ja'.")
    note: str | None = Field(default=None, description="What this name is (former name...).")


class RecordIn(Schema):
    """Fields every record has when created or loaded."""

    key: Key
    sensitivity: Sensitivity = Field(
        default=Sensitivity.public, description="public, internal or restricted."
    )
    sources: list[CitationIn] = Field(
        default_factory=list, description="Sources the record's facts are taken from."
    )


class RecordMeta(Schema):
    """What the registry adds to a record it stores."""

    id: int = Field(description="Database identifier.")
    version: int = Field(description="Current version; name it when updating.")
    created_at: datetime = Field(description="When the record was created (UTC).")
    updated_at: datetime = Field(description="When it was last changed (UTC).")
