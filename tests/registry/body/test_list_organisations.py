"""list_organisations: all organisations, by kind, within the reader's clearance."""

from __future__ import annotations

from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.registry.body.models import OrganisationKind
from scidip.registry.body.schemas import OrganisationCreate
from scidip.registry.body.service import ORGANISATION, list_organisations
from scidip.registry.record import create


def test_by_kind_and_clearance(session: Session) -> None:
    for key, kind, sensitivity in [
        ("board", OrganisationKind.advisory_board, Sensitivity.public),
        ("net", OrganisationKind.network, Sensitivity.public),
        ("secret-net", OrganisationKind.network, Sensitivity.restricted),
    ]:
        data = OrganisationCreate(key=key, name=key.title(), kind=kind, sensitivity=sensitivity)
        create(session, ORGANISATION, data, actor="test")
    assert [o.key for o in list_organisations(session)] == ["board", "net", "secret-net"]
    assert [o.key for o in list_organisations(session, OrganisationKind.network)] == [
        "net",
        "secret-net",
    ]
    public = list_organisations(session, OrganisationKind.network, Sensitivity.public)
    assert [o.key for o in public] == ["net"]
