"""Password hashing (argon2id), the password policy, and the random secrets the workbench hands
out."""

from __future__ import annotations

import functools
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from scidip.errors import InvalidData

_HASHER = PasswordHasher()  # argon2id with the library's recommended (RFC 9106) parameters

MIN_LENGTH = 12
"""The shortest password accepted (ASVS 4.0.3 V2.1.1)."""

MAX_LENGTH = 128
"""The longest (ASVS V2.1.2 asks that at least 64 be allowed)."""

MIN_SCORE = 3
"""zxcvbn's score a password must reach: 3 is "safely unguessable" (about 10^8 guesses)."""


def check_password(password: str, username: str = "") -> None:
    """:class:`InvalidData` unless ``password`` keeps the policy: 12 to 128 characters, not
    blank, not one character repeated, and not a common password or a variant of one.

    Common passwords are the 30,000 of the list shipped by the ``zxcvbn`` package (Dropbox's
    estimator, from Xato's corpus of 10 million leaked passwords) and its English words and
    names; zxcvbn also finds them reversed, in l33t, repeated, or with digits or dates added,
    and we refuse whatever it scores below :data:`MIN_SCORE` (with its reason). No rule on
    character classes (ASVS V2.1.9)."""
    if len(password) < MIN_LENGTH:
        raise InvalidData(f"password: at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InvalidData(f"password: at most {MAX_LENGTH} characters")
    if not password.strip():
        raise InvalidData("password: only spaces")
    if len(set(password)) == 1:
        raise InvalidData("password: one character repeated")
    found = zxcvbn(password[:MAX_LENGTH], user_inputs=[username] if username else [])
    if found["score"] < MIN_SCORE:
        reason = found["feedback"]["warning"] or "it is too easy to guess"
        raise InvalidData(f"password: too common or too easy to guess ({reason.rstrip('.')})")


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
