"""Schemas of parties and successions."""

from __future__ import annotations

from pydantic import Field, model_validator

from scidip.registry.party.codes import is_state_code, state_name
from scidip.registry.party.models import PartyKind, SuccessionKind
from scidip.registry.schemas import Key, OtherName, PartialDateField, RecordIn, RecordMeta


class PartyCreate(RecordIn):
    """A state or an international organisation; ``key`` is its code (JPN, SUHH, EU)."""

    name: str | None = Field(
        default=None,
        description="Short English name; for a state, taken from ISO 3166 when left out.",
    )
    kind: PartyKind = Field(default=PartyKind.state, description="state or organisation")
    existed_from: PartialDateField | None = Field(default=None, description="Came into being.")
    existed_until: PartialDateField | None = Field(
        default=None, description="Ceased to exist (exclusive); null while it exists."
    )
    other_names: list[OtherName] = Field(default_factory=list, description="Other names.")
    note: str | None = Field(default=None, description="Free text.")

    @model_validator(mode="after")
    def _drop_iso_name(self) -> PartyCreate:
        # A name equal to the ISO 3166 one is the default: keep one form so reloads compare equal.
        state = self.kind is PartyKind.state and self.name and is_state_code(self.key)
        if state and self.name == state_name(self.key):
            self.name = None
        return self


class PartyRead(PartyCreate, RecordMeta):
    """A stored party."""


class SuccessionCreate(RecordIn):
    """A successor state following a predecessor."""

    predecessor: Key = Field(description="Code of the predecessor state (e.g. SUHH).")
    successor: Key = Field(description="Code of the successor state (e.g. KAZ).")
    date: PartialDateField | None = Field(default=None, description="Date of the succession.")
    kind: SuccessionKind = Field(description="continuation, dissolution, separation, unification")
    note: str | None = Field(default=None, description="Free text.")


class SuccessionRead(SuccessionCreate, RecordMeta):
    """A stored succession."""
