"""Whose records a report states: the home party's side of a registry that may hold several.

With two datasets loaded (japan-mofa and eu-st, say), a chapter or a brief from the EU's side
must not state Japan's posts, boards, visits or committees. A record is on the home party's side
when the registry links it to that party:

* an organisation that belongs to the home party (its ``party``), or is part of one that does
  (its ``parent``, at any depth);
* a post of such an organisation; a person who held such a post or belonged to such an
  organisation (at any time: the side of a person is not a matter of date);
* an engagement hosted by such an organisation or with such a person taking part (the home
  party's advisor at a network's meeting); a document issued by such an organisation or written
  by such a person;
* a joint committee, and its meetings, set up under an agreement the home party acts under;
* a published figure that counts the home party's agreements (its ``home_party``).

A record linked to no party at all (an engagement whose host and participants belong to no
party's organisation, a document without issuer or authors of any party) is on every side: it is
stated as before, since nothing says it is another party's.

This is SciDip's rule, from the links the records carry; nothing is inferred from names.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.registry.agreement.models import AgreementAction
from scidip.registry.body.models import Membership, Organisation
from scidip.registry.committee.models import CommitteeMeeting, JointCommittee
from scidip.registry.document.models import Document
from scidip.registry.engagement.models import Engagement
from scidip.registry.figure.models import PublishedFigure
from scidip.registry.party.models import Party
from scidip.registry.post.models import Appointment, Post


@dataclass(frozen=True)
class Side:
    """The ids of the records on the home party's side (module docstring)."""

    home: str
    organisations: frozenset[int]
    persons: frozenset[int]
    agreements: frozenset[int]
    attached_organisations: frozenset[int]  # organisations of any party
    attached_persons: frozenset[int]  # persons of any party's organisations

    def has_organisation(self, org: Organisation) -> bool:
        """Whether ``org`` belongs to the home party (itself or through a parent), or to none."""
        return org.id in self.organisations or org.id not in self.attached_organisations

    def has_post(self, post: Post) -> bool:
        """Whether ``post`` is one of the home party's organisations', or of no party's."""
        found = post.organisation_id
        return found in self.organisations or found not in self.attached_organisations

    def _linked(self, organisation: int | None, persons: list[int]) -> bool:
        if organisation in self.organisations or any(p in self.persons for p in persons):
            return True
        return organisation not in self.attached_organisations and not any(
            p in self.attached_persons for p in persons
        )

    def has_engagement(self, e: Engagement) -> bool:
        """Hosted by the home party or with one of its people, or linked to no party."""
        return self._linked(e.host_id, [p.id for p in e.participants])

    def has_document(self, d: Document) -> bool:
        """Issued by the home party or written by one of its people, or linked to no party."""
        return self._linked(d.issuer_id, [p.id for p in d.authors])

    def has_committee(self, c: JointCommittee) -> bool:
        """Set up under an agreement the home party acts under."""
        return c.agreement_id in self.agreements

    def has_meeting(self, m: CommitteeMeeting) -> bool:
        """A meeting of one of the home party's committees."""
        return self.has_committee(m.committee)

    def has_figure(self, f: PublishedFigure) -> bool:
        """A figure that counts the home party's agreements."""
        return f.home_party == self.home


def side_of(session: Session, home: str) -> Side:
    """The home party's side of the registry (seven statements whatever its size)."""
    parents = dict(session.execute(select(Organisation.id, Organisation.parent_id)).all())
    party_of = dict(
        session.execute(
            select(Organisation.id, Party.key).join(Party, Party.id == Organisation.party_id)
        ).all()
    )
    own = {o for o, key in party_of.items() if key == home}
    organisations = {o for o in parents if _reaches(o, own, parents)}
    attached = {o for o in parents if _reaches(o, set(party_of), parents)}
    persons = _persons(session, organisations)
    agreements = session.scalars(
        select(AgreementAction.agreement_id)
        .join(Party, Party.id == AgreementAction.party_id)
        .where(Party.key == home)
    )
    return Side(
        home,
        frozenset(organisations),
        frozenset(persons),
        frozenset(agreements),
        frozenset(attached),
        frozenset(_persons(session, attached)),
    )


def _persons(session: Session, organisations: set[int]) -> set[int]:
    """Who held a post of, or belonged to, one of ``organisations``."""
    posts = select(Post.id).where(Post.organisation_id.in_(organisations))
    persons = set(
        session.scalars(select(Appointment.person_id).where(Appointment.post_id.in_(posts)))
    )
    persons |= set(
        session.scalars(
            select(Membership.person_id).where(Membership.organisation_id.in_(organisations))
        )
    )
    return persons


def _reaches(org: int, own: set[int], parents: dict[int, int | None]) -> bool:
    """Whether ``org`` or one of its parents is in ``own`` (a cycle of parents stops)."""
    seen: set[int] = set()
    current: int | None = org
    while current is not None and current not in seen:
        if current in own:
            return True
        seen.add(current)
        current = parents.get(current)
    return False
