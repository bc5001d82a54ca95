"""Logging in for the API: a username and password give a bearer token (throttled)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import JSONResponse

from scidip.auth.service import authenticate, issue_token
from scidip.registry.results import MeOut, TokenOut
from scidip.web.deps import DbSession, Reader

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", response_model=TokenOut, name="issue_token")
def token(
    db: DbSession,
    username: Annotated[str, Form(description="Login name.")],
    password: Annotated[str, Form(description="Password.")],
) -> Any:
    """Exchange a username and password for a new bearer token (429 after repeated failures)."""
    user = authenticate(db, username, password)
    if user is None:
        # A response, not an exception, so that the recorded attempt is committed.
        return JSONResponse({"detail": "wrong username or password"}, status_code=401)
    return {"access_token": issue_token(db, user, "api login"), "token_type": "bearer"}


@router.get("/me", response_model=MeOut, name="who_am_i")
def me(who: Reader) -> Any:
    """The user the request is authenticated as."""
    return {"username": who.username, "role": who.role.value, "clearance": who.clearance.value}
