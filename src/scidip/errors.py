"""Domain errors. Services raise these; the CLI and the web map each to one exit code or status."""

from __future__ import annotations


class SciDipError(Exception):
    """Base of every error SciDip raises on purpose."""


class NotFound(SciDipError):
    """The record asked for does not exist (or the caller may not know that it does)."""


class Conflict(SciDipError):
    """The write would overwrite a newer version or break a uniqueness rule."""


class InvalidData(SciDipError):
    """Input that breaks a rule of the registry; the message says which."""


class PermissionDenied(SciDipError):
    """The caller's role or clearance does not allow the operation."""
