"""Posts and appointments: reading, writing, holders on a date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.dates import Tri, active_on
from scidip.db.base import Sensitivity
from scidip.registry.access import EVERYTHING, allowed, visible
from scidip.registry.body.models import Organisation
from scidip.registry.person.models import Person
from scidip.registry.post.models import Appointment, Post
from scidip.registry.post.schemas import AppointmentCreate, PostCreate
from scidip.registry.record import Concept, get, key_of, ref


def _post_fields(p: Post) -> dict[str, Any]:
    return {
        "label": p.label,
        "organisation": key_of(p.organisation),
        "created": p.created,
        "description": p.description,
        "other_names": p.other_names,
    }


def _apply_post(session: Session, p: Post, data: PostCreate) -> None:
    p.label, p.created, p.description = data.label, data.created, data.description
    p.organisation = ref(session, Organisation, data.organisation, "organisation")
    p.other_names = [n.model_dump(exclude_none=True) for n in data.other_names]


POST = Concept("posts", Post, PostCreate, _post_fields, _apply_post)


def _appointment_fields(a: Appointment) -> dict[str, Any]:
    return {
        "person": a.person.key,
        "post": a.post.key,
        "start": a.start,
        "end": a.end,
        "note": a.note,
    }


def _apply_appointment(session: Session, a: Appointment, data: AppointmentCreate) -> None:
    a.person = ref(session, Person, data.person, "person")  # type: ignore[assignment]
    a.post = ref(session, Post, data.post, "post")  # type: ignore[assignment]
    a.start, a.end, a.note = data.start, data.end, data.note


APPOINTMENT = Concept(
    "appointments", Appointment, AppointmentCreate, _appointment_fields, _apply_appointment
)


def _by_start(a: Appointment) -> tuple[Any, ...]:
    return (a.start.sort_key() if a.start else (date.min,), a.key)


def _seen(rows: Iterable[Appointment], clearance: Sensitivity) -> list[Appointment]:
    return sorted(
        (a for a in visible(rows, clearance) if allowed(a.person.sensitivity, clearance)),
        key=_by_start,
    )


def appointments(
    session: Session, post: str, clearance: Sensitivity = EVERYTHING
) -> list[Appointment]:
    """Every appointment to ``post``, in order of start: the holders over time."""
    found = get(session, POST, post, clearance)
    return _seen(
        session.scalars(select(Appointment).where(Appointment.post_id == found.id)), clearance
    )


def holders(
    session: Session, post: str, as_of: date, clearance: Sensitivity = EVERYTHING
) -> list[tuple[Appointment, Tri]]:
    """Who held ``post`` on ``as_of``: appointments active (yes) or possibly active (unknown)."""
    found = [(a, active_on(a.start, a.end, as_of)) for a in appointments(session, post, clearance)]
    return [(a, t) for a, t in found if t is not Tri.NO]


def posts_of(
    session: Session, person: Person, clearance: Sensitivity = EVERYTHING
) -> list[Appointment]:
    """A person's appointments (that the reader may see), in order of start."""
    rows = session.scalars(select(Appointment).where(Appointment.person_id == person.id))
    return [a for a in _seen(rows, clearance) if allowed(a.post.sensitivity, clearance)]


def list_posts(session: Session, clearance: Sensitivity = EVERYTHING) -> list[Post]:
    """All posts (that the reader may see), by key."""
    return visible(session.scalars(select(Post).order_by(Post.key)), clearance)
