"""Schemas of published figures."""

from __future__ import annotations

from pydantic import Field

from scidip.registry.agreement.models import AgreementKind
from scidip.registry.figure.models import FigureMetric
from scidip.registry.schemas import INT_MAX, Key, PartialDateField, RecordIn, RecordMeta, SortedKeys


class FigureCreate(RecordIn):
    """A number a publication states; cite the publication in ``sources``."""

    statement: str = Field(description="The sentence as the source gives it.")
    home_party: Key = Field(description="Code of the party whose agreements are counted.")
    metric: FigureMetric = Field(description="agreements, states or organisations")
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
    note: str | None = Field(default=None, description="Free text.")


class FigureRead(FigureCreate, RecordMeta):
    """A stored published figure."""
