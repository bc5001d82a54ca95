"""Schemas of persons."""

from __future__ import annotations

from pydantic import Field

from scidip.registry.schemas import OtherName, RecordIn, RecordMeta


class PersonCreate(RecordIn):
    """A person; ``name`` as the source writes it (MATSUMOTO Yoichiro)."""

    name: str = Field(description="Name as the source writes it (family name first, capitals).")
    family_name: str | None = Field(default=None, description="Family name.")
    given_name: str | None = Field(default=None, description="Given name.")
    other_names: list[OtherName] = Field(
        default_factory=list, description="Aliases, e.g. the name in Japanese (lang 'ja')."
    )
    note: str | None = Field(default=None, description="Free text.")


class PersonRead(PersonCreate, RecordMeta):
    """A stored person."""
