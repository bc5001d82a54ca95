"""Who may see a record: the sensitivity rule, in one place.

A reader with clearance C sees a record of sensitivity S when S ranks no higher than C
(public < internal < restricted). Queries take ``clearance`` (default: restricted, i.e. everything,
for trusted local use such as the command line) and leave out what the reader may not see, so that
it appears in no list, count or report built on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from scidip.db.base import Record, Sensitivity

T = TypeVar("T", bound=Record)

EVERYTHING = Sensitivity.restricted
"""The clearance that sees every record."""


def allowed(sensitivity: Sensitivity, clearance: Sensitivity) -> bool:
    """May a reader with ``clearance`` see a record of ``sensitivity``?"""
    return sensitivity.rank <= clearance.rank


def visible(records: Iterable[T], clearance: Sensitivity) -> list[T]:
    """The records a reader with ``clearance`` may see, in their order."""
    return [r for r in records if allowed(r.sensitivity, clearance)]


def levels(clearance: Sensitivity) -> list[Sensitivity]:
    """The sensitivities a reader with ``clearance`` may see: the rule as a query's condition
    (``Model.sensitivity.in_(levels(clearance))``)."""
    return [s for s in Sensitivity if allowed(s, clearance)]
