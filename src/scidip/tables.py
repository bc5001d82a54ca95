"""Imports every table so that ``Base.metadata`` is complete (for migrations and tests)."""

from scidip.auth.models import ApiToken, LoginAttempt, User  # noqa: F401  (web tables)
from scidip.db.base import Base
from scidip.db.stamp import ChangeStamp
from scidip.registry.agreement.models import ActionKind, Agreement, AgreementAction, AgreementKind
from scidip.registry.audit.models import AuditEntry
from scidip.registry.body.models import Membership, MembershipRole, Organisation, OrganisationKind
from scidip.registry.committee.models import (
    ActionItem,
    ActionItemStatus,
    CommitteeMeeting,
    JointCommittee,
    MeetingMode,
)
from scidip.registry.document.models import Document, DocumentFollowUp, DocumentKind, FollowUpStatus
from scidip.registry.engagement.models import Engagement, EngagementKind
from scidip.registry.figure.models import FigureMetric, PublishedFigure
from scidip.registry.home import LoadedDataset
from scidip.registry.party.models import Party, PartyKind, Succession, SuccessionKind
from scidip.registry.person.models import Person
from scidip.registry.post.models import Appointment, Post
from scidip.registry.source.models import Citation, Source

__all__ = [
    "ActionItem",
    "ActionItemStatus",
    "ActionKind",
    "Agreement",
    "AgreementAction",
    "AgreementKind",
    "Appointment",
    "AuditEntry",
    "Base",
    "ChangeStamp",
    "Citation",
    "CommitteeMeeting",
    "Document",
    "DocumentFollowUp",
    "DocumentKind",
    "Engagement",
    "EngagementKind",
    "FigureMetric",
    "FollowUpStatus",
    "JointCommittee",
    "LoadedDataset",
    "MeetingMode",
    "Membership",
    "MembershipRole",
    "Organisation",
    "OrganisationKind",
    "Party",
    "PartyKind",
    "Person",
    "Post",
    "PublishedFigure",
    "Source",
    "Succession",
    "SuccessionKind",
]
