"""Schemas of agreements and their actions."""

from __future__ import annotations

from pydantic import Field, model_validator

from scidip.registry.agreement.models import ActionKind, AgreementKind
from scidip.registry.schemas import (
    CitationIn,
    Key,
    PartialDateField,
    RecordIn,
    RecordMeta,
    Schema,
)


class ActionIn(Schema):
    """One action under an agreement."""

    kind: ActionKind = Field(description="signature, entry_into_force, succession, ...")
    party: Key | None = Field(
        default=None, description="Code of the party acting; null: the agreement as a whole."
    )
    taken: PartialDateField | None = Field(default=None, description="When the act was done.")
    effective: PartialDateField | None = Field(default=None, description="When it took effect.")
    until: PartialDateField | None = Field(
        default=None,
        description="End (exclusive) of the fixed term this entry into force or extension opens.",
    )
    via: Key | None = Field(
        default=None, description="Succession: code of the predecessor state (e.g. SUHH)."
    )
    replaced_by: Key | None = Field(
        default=None, description="Supersession: key of the agreement that replaces this one."
    )
    note: str | None = Field(default=None, description="Free text.")
    sources: list[CitationIn] = Field(default_factory=list, description="Sources of this action.")

    @model_validator(mode="after")
    def _consistent(self) -> ActionIn:
        if self.kind is ActionKind.succession and (self.via is None or self.party is None):
            raise ValueError("a succession names the successor (party) and the predecessor (via)")
        if self.kind is not ActionKind.succession and self.via is not None:
            raise ValueError("'via' is only for a succession")
        if self.kind is ActionKind.supersession and self.replaced_by is None:
            raise ValueError("a supersession names the agreement that replaces it (replaced_by)")
        if self.until is not None and self.kind not in (
            ActionKind.entry_into_force,
            ActionKind.extension,
        ):
            raise ValueError("'until' closes the term of an entry into force or an extension")
        return self


class AgreementCreate(RecordIn):
    """An S&T cooperation instrument with its actions."""

    title: str = Field(description="Title as the source gives it.")
    kind: AgreementKind = Field(description="agreement, arrangement, memorandum, multilateral")
    subjects: list[str] = Field(default_factory=list, description="Fields of cooperation.")
    note: str | None = Field(default=None, description="Free text.")
    actions: list[ActionIn] = Field(
        default_factory=list, description="Actions in the order they were taken."
    )


class AgreementRead(AgreementCreate, RecordMeta):
    """A stored agreement."""
