"""Schemas of posts and appointments."""

from __future__ import annotations

from pydantic import Field

from scidip.registry.schemas import Key, OtherName, PartialDateField, RecordIn, RecordMeta


class PostCreate(RecordIn):
    """An office such as "S&T Advisor to the Minister for Foreign Affairs"."""

    label: str = Field(description="Name of the post.")
    organisation: Key | None = Field(default=None, description="Key of the organisation.")
    created: PartialDateField | None = Field(default=None, description="When it was created.")
    description: str | None = Field(default=None, description="What the holder does.")
    other_names: list[OtherName] = Field(
        default_factory=list, description="Its name in other languages (e.g. Japanese)."
    )


class PostRead(PostCreate, RecordMeta):
    """A stored post."""


class AppointmentCreate(RecordIn):
    """A person holding a post from start to end (exclusive)."""

    person: Key = Field(description="Key of the person.")
    post: Key = Field(description="Key of the post.")
    start: PartialDateField | None = Field(default=None, description="First day (inclusive).")
    end: PartialDateField | None = Field(default=None, description="End (exclusive).")
    note: str | None = Field(default=None, description="Free text.")


class AppointmentRead(AppointmentCreate, RecordMeta):
    """A stored appointment."""
