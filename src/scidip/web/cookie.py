"""The page session's cookie, and the device cookie of the login throttle.

The session cookie carries the random token of a server-side session
(:mod:`scidip.auth.sessions`: logout, disabling the user or changing the password ends it) and
the session's CSRF token; it is signed (itsdangerous, HMAC-SHA1 over the app's secret), HttpOnly,
SameSite=Lax, Secure over HTTPS, and lasts as long as the server-side session. Forms carry the
CSRF token in a hidden field (``csrf_token``), htmx and scripts in the ``X-CSRF-Token`` header.

The device cookie (:data:`DEVICE`) names a user who logged in on this browser before and a random
device id: the login throttle counts that browser's failures apart from strangers'
(:mod:`scidip.auth.throttle`).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

from scidip.auth.sessions import SESSION_LIFETIME

COOKIE = "scidip_session"
MAX_AGE_S = int(SESSION_LIFETIME.total_seconds())
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"

DEVICE = "scidip_device"
DEVICE_MAX_AGE_S = 180 * 24 * 3600


@dataclass(frozen=True)
class PageSession:
    """What the cookie holds: the server-side session's token and the session's CSRF token."""

    token: str
    csrf: str


def _serializer(secret: str, salt: str = "scidip-session") -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=salt)


def new_session(token: str) -> PageSession:
    """The cookie of a server-side session just opened, with a fresh CSRF token."""
    return PageSession(token, secrets.token_urlsafe(24))


def encode(secret: str, session: PageSession) -> str:
    """The cookie's value."""
    return _serializer(secret).dumps({"s": session.token, "c": session.csrf})


def decode(secret: str, value: str | None) -> PageSession | None:
    """The session a cookie names, or ``None`` if missing, forged, malformed or expired."""
    if not value:
        return None
    try:
        data = _serializer(secret).loads(value, max_age=MAX_AGE_S)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("s"), str):
        return None
    return PageSession(data["s"], str(data.get("c", "")))


def csrf_ok(session: PageSession, submitted: str | None) -> bool:
    """Whether a submitted CSRF token is the session's (compared in constant time)."""
    return bool(submitted) and hmac.compare_digest(session.csrf, str(submitted))


def encode_device(secret: str, username: str, device: str | None = None) -> str:
    """A device cookie for ``username`` (keeping the browser's device id when it has one)."""
    return _serializer(secret, "scidip-device").dumps(
        {"u": username, "d": device or secrets.token_urlsafe(16)}
    )


def device_for(secret: str, value: str | None, username: str) -> str | None:
    """The device id of a device cookie, if it is genuine, recent and ``username``'s."""
    if not value:
        return None
    try:
        data = _serializer(secret, "scidip-device").loads(value, max_age=DEVICE_MAX_AGE_S)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != username or not data.get("d"):
        return None
    return str(data["d"])
