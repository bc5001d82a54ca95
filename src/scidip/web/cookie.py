"""The page session: a signed cookie naming the user, with the CSRF token of that session.

The cookie is HttpOnly and SameSite=Lax and carries no password; it is signed (itsdangerous,
HMAC-SHA1 over the app's secret) and expires after :data:`MAX_AGE_S`. Forms carry the session's
CSRF token in a hidden field (``csrf_token``), htmx and scripts in the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "scidip_session"
MAX_AGE_S = 12 * 3600
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class PageSession:
    """What the cookie holds: the user's id and the session's CSRF token."""

    user_id: int
    csrf: str


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="scidip-session")


def new_session(user_id: int) -> PageSession:
    """A session for a user who has just logged in, with a fresh CSRF token."""
    return PageSession(user_id, secrets.token_urlsafe(24))


def encode(secret: str, session: PageSession) -> str:
    """The cookie's value."""
    return _serializer(secret).dumps({"u": session.user_id, "c": session.csrf})


def decode(secret: str, value: str | None) -> PageSession | None:
    """The session a cookie names, or ``None`` if missing, forged, malformed or expired."""
    if not value:
        return None
    try:
        data = _serializer(secret).loads(value, max_age=MAX_AGE_S)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return PageSession(data["u"], str(data.get("c", "")))


def csrf_ok(session: PageSession, submitted: str | None) -> bool:
    """Whether a submitted CSRF token is the session's (compared in constant time)."""
    return bool(submitted) and hmac.compare_digest(session.csrf, str(submitted))
