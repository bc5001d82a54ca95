"""Logging in for the API (throttled), and the asking user's own sessions, tokens and password;
admins also see and end other users' sessions and tokens and reset their passwords."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from scidip.auth.service import Throttled, authenticate, change_password, reset_password
from scidip.auth.sessions import (
    LOGIN_TOKEN_LIFETIME,
    end_session,
    issue_token,
    list_sessions,
    list_tokens,
    revoke_token,
)
from scidip.registry.results import MeOut, TokenOut
from scidip.web.deps import Admin, DbSession, Reader
from scidip.web.security import source_address
from scidip.web.sessions import (
    current_session,
    current_token,
    end_current_session,
    subject,
)

router = APIRouter(prefix="/auth", tags=["auth"])

SESSION_ID = Annotated[int, Path(description="The session's number (from the list).")]
TOKEN_ID = Annotated[int, Path(description="The token's number (from the list).")]
USERNAME = Annotated[str, Path(description="Login name.", max_length=80)]
USER = Annotated[
    str | None,
    Query(description="Another user's name (admins only); default: the user asking."),
]


class SessionOut(BaseModel):
    """A logged-in browser of the user."""

    model_config = ConfigDict(extra="forbid")
    id: int = Field(description="Number, for ending it.")
    created_at: datetime = Field(description="When the user logged in.")
    expires_at: datetime = Field(description="When it ends by itself.")
    address: str = Field(description="Source address of the login.")
    agent: str = Field(description="The browser's User-Agent.")
    current: bool = Field(description="Whether this request came with it.")


class TokenInfoOut(BaseModel):
    """An API token of the user (never the token itself)."""

    model_config = ConfigDict(extra="forbid")
    id: int = Field(description="Number, for revoking it.")
    label: str = Field(description="What it is for.")
    created_at: datetime = Field(description="When it was issued.")
    expires_at: datetime = Field(description="After this it is refused.")
    current: bool = Field(description="Whether this request came with it.")


class PasswordChange(BaseModel):
    """The user's own password change."""

    model_config = ConfigDict(extra="forbid")
    current_password: str = Field(max_length=1024, description="The password in use.")
    new_password: str = Field(max_length=1024, description="12 to 128 characters, not common.")


class PasswordReset(BaseModel):
    """An admin's reset of another user's password."""

    model_config = ConfigDict(extra="forbid")
    new_password: str = Field(max_length=1024, description="12 to 128 characters, not common.")


def _another_user(missing: str) -> dict[int | str, dict[str, Any]]:
    """The answers of a route on the user asking or, for an admin, another (``?user=``)."""
    return {
        403: {"description": "Another user's, and not an admin."},
        404: {"description": missing},
    }


@router.post(
    "/token",
    response_model=TokenOut,
    name="issue_token",
    responses={401: {"description": "Wrong username or password."}, 429: {"description": "Wait."}},
)
def token(
    request: Request,
    db: DbSession,
    username: Annotated[str, Form(description="Login name.", max_length=80)],
    password: Annotated[str, Form(description="Password.", max_length=1024)],
) -> Any:
    """Exchange a username and password for a bearer token valid 12 hours (throttled: 429 with
    Retry-After while the account or source address must wait)."""
    try:
        user = authenticate(db, username, password, address=source_address(request.scope))
    except Throttled as exc:
        # Responses, not exceptions, so that the recorded attempt is committed.
        headers = {"Retry-After": str(exc.retry_after)}
        return JSONResponse({"detail": str(exc)}, status_code=429, headers=headers)
    if user is None:
        return JSONResponse({"detail": "wrong username or password"}, status_code=401)
    issued = issue_token(db, user, "api login", LOGIN_TOKEN_LIFETIME)
    return {"access_token": issued, "token_type": "bearer"}


@router.get("/me", response_model=MeOut, name="who_am_i")
def me(who: Reader) -> Any:
    """The user the request is authenticated as."""
    return {"username": who.username, "role": who.role.value, "clearance": who.clearance.value}


@router.post("/logout", status_code=204, name="log_out")
def logout(request: Request, db: DbSession, _who: Reader) -> Response:
    """End what the request came with: the page session of its cookie, or its bearer token."""
    used = current_token(request, db)
    if used is not None:
        db.delete(used)
        db.flush()
    else:
        end_current_session(request, db)
    return Response(status_code=204)


@router.get(
    "/sessions",
    response_model=list[SessionOut],
    name="list_sessions",
    responses=_another_user("No such user."),
)
def sessions(request: Request, db: DbSession, who: Reader, user: USER = None) -> Any:
    """The user's live page sessions, newest first."""
    mine = current_session(request, db)
    return [
        SessionOut(
            id=s.id,
            created_at=s.created_at,
            expires_at=s.expires_at,
            address=s.address,
            agent=s.agent,
            current=mine is not None and mine.id == s.id,
        )
        for s in list_sessions(db, subject(db, who, user))
    ]


@router.delete(
    "/sessions/{session_id}",
    status_code=204,
    name="end_session",
    responses=_another_user("No such session of the user."),
)
def end(db: DbSession, who: Reader, session_id: SESSION_ID, user: USER = None) -> Response:
    """End one session (404 if the user has no such session)."""
    end_session(db, subject(db, who, user), session_id)
    return Response(status_code=204)


@router.get(
    "/tokens",
    response_model=list[TokenInfoOut],
    name="list_tokens",
    responses=_another_user("No such user."),
)
def tokens(request: Request, db: DbSession, who: Reader, user: USER = None) -> Any:
    """The user's API tokens, newest first (expired ones too, until revoked)."""
    used = current_token(request, db)
    return [
        TokenInfoOut(
            id=t.id,
            label=t.label,
            created_at=t.created_at,
            expires_at=t.expires_at,
            current=used is not None and used.id == t.id,
        )
        for t in list_tokens(db, subject(db, who, user))
    ]


@router.delete(
    "/tokens/{token_id}",
    status_code=204,
    name="revoke_token",
    responses=_another_user("No such token of the user."),
)
def revoke(db: DbSession, who: Reader, token_id: TOKEN_ID, user: USER = None) -> Response:
    """Revoke one token (404 if the user has no such token)."""
    revoke_token(db, subject(db, who, user), token_id)
    return Response(status_code=204)


@router.post(
    "/password",
    status_code=204,
    name="change_password",
    responses={
        403: {"description": "The current password is wrong."},
        422: {"description": "The new password breaks the policy."},
    },
)
def password(request: Request, db: DbSession, who: Reader, body: PasswordChange) -> Response:
    """Change the asking user's password (the current one is needed: 403 if wrong; 422 if the
    new one breaks the policy). Ends the user's other sessions and revokes their tokens."""
    mine = current_session(request, db)
    user = subject(db, who, None)
    change_password(
        db,
        user,
        body.current_password,
        body.new_password,
        keep_session=None if mine is None else mine.id,
    )
    return Response(status_code=204)


@router.post(
    "/users/{username}/password",
    status_code=204,
    name="reset_password",
    responses={
        403: {"description": "Not an admin."},
        404: {"description": "No such user."},
        422: {"description": "The new password breaks the policy."},
    },
)
def reset(db: DbSession, who: Admin, username: USERNAME, body: PasswordReset) -> Response:
    """An admin sets another user's password; all their sessions end, their tokens are revoked."""
    reset_password(db, username, body.new_password, actor=who.username)
    return Response(status_code=204)
