"""Page sessions end after 30 minutes unused (sliding with each use) and 12 hours after the
login whatever the use; dead sessions are pruned. The clock is an argument: exact instants."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.auth.models import Role, User, WebSession
from scidip.auth.passwords import token_digest
from scidip.auth.sessions import (
    SESSION_IDLE,
    open_session,
    prune_sessions,
    session_for,
    touch_session,
)
from scidip.db.base import Sensitivity

IDLE = timedelta(minutes=30)


def _user(session: Session, name: str = "ann") -> User:
    user = User(username=name, password_hash="x", role=Role.viewer, clearance=Sensitivity.public)
    session.add(user)
    session.flush()
    return user


def test_the_default_idle_timeout_is_asvs_level_2s_30_minutes() -> None:
    assert timedelta(minutes=30) == SESSION_IDLE


def test_a_session_unused_for_the_idle_timeout_is_refused_and_each_use_slides_it(
    session: Session,
) -> None:
    token, row = open_session(session, _user(session))
    t0, digest = row.last_seen_at, token_digest(token)
    assert row.expires_at - t0 == timedelta(hours=12)

    def live(after: timedelta) -> bool:
        return session_for(session, token, idle=IDLE, now=t0 + after) is not None

    assert live(timedelta(minutes=29, seconds=59))
    assert not live(IDLE)  # exactly 30 minutes unused: refused
    # Used at 29 min: live until 59 min, and so on, as long as it is used.
    assert touch_session(session, digest, idle=IDLE, now=t0 + timedelta(minutes=29))
    assert live(timedelta(minutes=58, seconds=59)) and not live(timedelta(minutes=59))
    # A use after the timeout does not revive it.
    assert not touch_session(session, digest, idle=IDLE, now=t0 + timedelta(minutes=59))
    assert not live(timedelta(minutes=59))
    session.refresh(row)
    assert row.last_seen_at == t0 + timedelta(minutes=29)


def test_a_session_used_every_few_minutes_still_ends_12_hours_after_the_login(
    session: Session,
) -> None:
    token, row = open_session(session, _user(session))
    t0, digest = row.created_at, token_digest(token)
    for minutes in range(20, 12 * 60, 20):
        assert touch_session(session, digest, idle=IDLE, now=t0 + timedelta(minutes=minutes))
    assert session_for(session, token, idle=IDLE, now=t0 + timedelta(hours=11, minutes=59))
    assert session_for(session, token, idle=IDLE, now=t0 + timedelta(hours=12)) is None
    assert not touch_session(session, digest, idle=IDLE, now=t0 + timedelta(hours=12))


def test_the_idle_timeout_is_the_callers(session: Session) -> None:
    token, row = open_session(session, _user(session))
    five = timedelta(minutes=5)
    assert session_for(session, token, idle=five, now=row.created_at + five) is None
    assert session_for(session, token, idle=IDLE, now=row.created_at + five) is not None


def test_pruning_deletes_expired_and_idle_sessions_only(session: Session) -> None:
    ann, bob = _user(session), _user(session, "bob")
    _, idle = open_session(session, ann)
    _, expired = open_session(session, bob)
    _, live = open_session(session, bob)
    now = live.created_at
    idle.last_seen_at = now - IDLE
    expired.expires_at = now
    session.flush()
    assert prune_sessions(session, idle=IDLE, now=now) == 2
    session.expire_all()
    left = session.scalars(select(WebSession.id).where(WebSession.user_id.in_([ann.id, bob.id])))
    assert list(left) == [live.id]
