"""Schemas of published figures."""

from __future__ import annotations

from pydantic import Field, model_validator

from scidip.registry.agreement.models import AgreementKind
from scidip.registry.figure.models import FigureMetric
from scidip.registry.schemas import INT_MAX, Key, PartialDateField, RecordIn, RecordMeta, SortedKeys


class FigureCreate(RecordIn):
    """A number a publication states; cite the publication in ``sources``."""

    statement: str = Field(description="The sentence as the source gives it.")
    home_party: Key = Field(description="Code of the party whose agreements are counted.")
    metric: FigureMetric = Field(
        description="agreements, states or organisations (in force on as_of); committee_meetings "
        "(joint committee meetings held in the period as_of names); members (of organisation, "
        "on as_of)"
    )
    value: int = Field(ge=0, le=INT_MAX, description="The number stated.")
    as_of: PartialDateField | None = Field(
        default=None, description="The date the figure holds for."
    )
    kinds: list[AgreementKind] = Field(
        default_factory=list, description="Agreement kinds counted; empty: all kinds."
    )
    parties: SortedKeys = Field(
        default_factory=list, description="Parties the statement names (e.g. EU)."
    )
    organisation: Key | None = Field(
        default=None, description="members: key of the body whose members are counted."
    )
    note: str | None = Field(default=None, description="Free text.")

    @model_validator(mode="after")
    def _body_for_members(self) -> FigureCreate:
        if (self.metric is FigureMetric.members) != (self.organisation is not None):
            raise ValueError("organisation: a count of members names its body, and only it does")
        return self


class FigureRead(FigureCreate, RecordMeta):
    """A stored published figure."""
