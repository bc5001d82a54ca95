"""How records look through the API: the models of a record, a list's filters and a page.

The records themselves come from the registry's read side (:mod:`scidip.registry.read`), shared
by the record routes, the exports and the pages, so that each shows the same thing.
"""

from __future__ import annotations

import sys
from typing import Any

from pydantic import BaseModel, Field, create_model

from scidip.registry.read import TEMPORAL, filter_fields
from scidip.registry.record import Concept
from scidip.registry.schemas import Text

__all__ = ["TEMPORAL", "filter_model", "page_model", "read_schema"]


def read_schema(concept: Concept[Any, Any]) -> type[BaseModel]:
    """The concept's ``XRead`` schema (beside its ``XCreate`` in the same module)."""
    module = sys.modules[concept.schema.__module__]
    read: type[BaseModel] = getattr(module, concept.schema.__name__.replace("Create", "Read"))
    return read


def filter_model(concept: Concept[Any, Any]) -> type[BaseModel]:
    """A query-parameter model of the list filters of ``concept`` (plus ``q``)."""
    fields: dict[str, Any] = {
        name: (Text | None, Field(default=None, description=text))
        for name, text in filter_fields(concept).items()
    }
    fields["q"] = (
        Text | None,
        Field(default=None, description="Text in the key, name, title, label or any alias."),
    )
    return create_model(f"{read_schema(concept).__name__}Filter", **fields)


def page_model(concept: Concept[Any, Any]) -> type[BaseModel]:
    """The model of one page of a list of ``concept``."""
    read = read_schema(concept)
    return create_model(
        f"{read.__name__}Page",
        items=(list[read], Field(description="The records of this page, by key.")),  # type: ignore[valid-type]
        total=(int, Field(description="How many records pass the filters, on all pages.")),
        limit=(int, Field(description="The page size asked for.")),
        offset=(int, Field(description="How many records were skipped.")),
    )
