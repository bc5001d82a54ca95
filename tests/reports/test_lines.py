"""The lines reports print: what the reader's clearance hides is not named in them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.concepts import BY_NAME
from scidip.reports.context.lines import document_line
from scidip.reports.sources import SourceBook


def test_a_restricted_addressee_is_not_named_below_their_clearance(registry: Session) -> None:
    persons = BY_NAME["persons"]
    stored = record.get(registry, persons, "hayashi-yoshimasa")
    data = record.snapshot(registry, persons, stored).model_copy(
        update={"sensitivity": Sensitivity.restricted}
    )
    record.update(registry, persons, "hayashi-yoshimasa", data, stored.version, "test")
    document = record.get(registry, BY_NAME["documents"], "recommendation-2022-06")

    def addressee(clearance: Sensitivity) -> str | None:
        line = document_line(document, None, SourceBook(registry, clearance), clearance)
        return line.addressee

    assert addressee(Sensitivity.restricted) == "Minister for Foreign Affairs HAYASHI Yoshimasa"
    assert addressee(Sensitivity.internal) == "Minister for Foreign Affairs"
    assert addressee(Sensitivity.public) == "Minister for Foreign Affairs"
