"""Every concept of the registry, in the order a dataset loads them (references point back)."""

from __future__ import annotations

from typing import Any

from scidip.registry.agreement.service import AGREEMENT
from scidip.registry.body.service import MEMBERSHIP, ORGANISATION
from scidip.registry.committee.service import COMMITTEE, MEETING
from scidip.registry.document.service import DOCUMENT
from scidip.registry.engagement.service import ENGAGEMENT
from scidip.registry.figure.service import FIGURE
from scidip.registry.party.service import PARTY, SUCCESSION
from scidip.registry.person.service import PERSON
from scidip.registry.post.service import APPOINTMENT, POST
from scidip.registry.record import Concept
from scidip.registry.source.service import SOURCE

CONCEPTS: tuple[Concept[Any, Any], ...] = (
    SOURCE,
    PARTY,
    SUCCESSION,
    ORGANISATION,
    PERSON,
    POST,
    APPOINTMENT,
    MEMBERSHIP,
    AGREEMENT,
    COMMITTEE,
    MEETING,
    ENGAGEMENT,
    DOCUMENT,
    FIGURE,
)

BY_NAME: dict[str, Concept[Any, Any]] = {c.name: c for c in CONCEPTS}
