"""Password hashing (argon2id) and the random secrets the workbench hands out."""

from __future__ import annotations

import functools
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()  # argon2id with the library's recommended (RFC 9106) parameters

MIN_LENGTH = 10
"""The shortest password accepted."""


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (with its own salt and parameters)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; a malformed hash never matches."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random password of about 128 bits, safe to print and to type."""
    return secrets.token_urlsafe(16)


def generate_token() -> str:
    """A new API token (256 random bits) with a recognisable prefix."""
    return "scidip_" + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored of a token: its SHA-256, hex (a token is random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def burn_time(password: str) -> None:
    """Spend the time of a verification when there is no such user, so timing reveals nothing."""
    verify_password(_dummy_hash(), password)
