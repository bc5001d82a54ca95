"""Tables of the web workbench's users, their page sessions and API tokens, the login attempts
and the login throttle's counters."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scidip.db.base import Base, Sensitivity, UTCDateTime, enum_column, utcnow


class Role(enum.StrEnum):
    """What a user may do: read (viewer), also write (editor), also administer (admin)."""

    viewer = "viewer"
    editor = "editor"
    admin = "admin"

    @property
    def rank(self) -> int:
        """0 for viewer, 1 for editor, 2 for admin."""
        return list(Role).index(self)


class User(Base):
    """A person who logs in to the workbench."""

    __tablename__ = "web_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True, comment="Login name.")
    password_hash: Mapped[str] = mapped_column(String(200), comment="argon2id hash.")
    role: Mapped[Role] = mapped_column(enum_column(Role), comment="viewer, editor or admin.")
    clearance: Mapped[Sensitivity] = mapped_column(
        enum_column(Sensitivity),
        comment="The most sensitive records the user may see: public, internal or restricted.",
    )
    disabled: Mapped[bool] = mapped_column(
        Boolean, default=False, comment="A disabled user can neither log in nor use a token."
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), default=None, comment="Last change or reset of the password."
    )
    bootstrap: Mapped[bool] = mapped_column(
        Boolean,
        default=False,
        comment="The first admin, made by the server with a printed password: disabled once "
        "another admin exists, unless its password was changed.",
    )
    must_change_password: Mapped[bool] = mapped_column(
        Boolean,
        default=False,
        comment="Set when the password in use fails the current policy (found at login) or "
        "was set by an admin: until changed, the user may do nothing but change it.",
    )

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )


class ApiToken(Base):
    """A bearer token for the API; only its SHA-256 digest is stored."""

    __tablename__ = "web_api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_user.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(
        String(64), unique=True, comment="SHA-256 of the token, hex."
    )
    label: Mapped[str] = mapped_column(String(120), default="", comment="What it is for.")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), comment="After this the token is refused."
    )

    user: Mapped[User] = relationship(back_populates="tokens")


class WebSession(Base):
    """A logged-in browser: the cookie holds a random token, the server its SHA-256 digest.
    Ended (deleted) at logout, when the user is disabled, and when the password changes; refused
    after its absolute lifetime or an idle period (:mod:`scidip.auth.sessions`)."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_user.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(
        String(64), unique=True, comment="SHA-256 of the cookie's session token, hex."
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), comment="After this the session is refused."
    )
    last_seen_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        comment="Last use (kept to within a minute); idle longer than the idle timeout, the "
        "session is refused.",
    )
    address: Mapped[str] = mapped_column(String(64), default="", comment="Where it logged in.")
    agent: Mapped[str] = mapped_column(String(200), default="", comment="Browser (User-Agent).")


class LoginAttempt(Base):
    """One attempt to log in, kept to throttle guessing and to answer "who tried"."""

    __tablename__ = "web_login_attempt"
    stamps_changes: ClassVar[bool] = False  # changes no answer: leaves read caches alone

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), index=True, comment="Name tried.")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean, comment="Whether the password was right.")
    address: Mapped[str] = mapped_column(String(64), default="", comment="Source address.")
    checked: Mapped[bool] = mapped_column(
        Boolean, default=True, comment="False when the throttle refused it unchecked."
    )


class LoginThrottle(Base):
    """Failed logins counted under one key (an account, a source address or a known device),
    and until when that key must wait. Read and written under a row lock: see
    :mod:`scidip.auth.throttle`."""

    __tablename__ = "web_login_throttle"
    stamps_changes: ClassVar[bool] = False

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, comment="Failures in a row.")
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    blocked_until: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), comment="No password is checked for this key before then."
    )
