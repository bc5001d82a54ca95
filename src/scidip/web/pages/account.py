"""The account page: the user's password, their logged-in browsers (sessions) and API tokens,
each ended or revoked by a button; admins open another user's with ``?user=NAME`` and may reset
that user's password there."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.auth.service import change_password, require, reset_password
from scidip.auth.sessions import end_session, list_sessions, list_tokens, revoke_token
from scidip.errors import InvalidData, PermissionDenied
from scidip.web.deps import DbSession
from scidip.web.pages.context import Page, PageUser, render
from scidip.web.sessions import activity, current_session, subject

router = APIRouter(include_in_schema=False)


def _account(
    request: Request,
    db: Session,
    page: Page,
    user: str | None,
    *,
    message: str = "",
    error: str = "",
    status_code: int = 200,
) -> Response:
    owner = subject(db, page.who, user)
    mine = current_session(request, db)
    context: dict[str, Any] = {
        "owner": owner,
        "own": owner.username == page.who.username,
        "sessions": list_sessions(db, owner, idle=activity(request).idle),
        "idle_minutes": int(activity(request).idle.total_seconds() // 60),
        "tokens": list_tokens(db, owner),
        "current": None if mine is None else mine.id,
        "message": message,
        "error": error,
        "query": "" if user is None else f"?user={user}",
    }
    return render(request, "account.html", page, status_code=status_code, **context)


@router.get("/account", response_class=HTMLResponse, name="account_page")
def account(request: Request, db: DbSession, page: PageUser, user: str | None = None) -> Response:
    """The user's password, sessions and tokens (another user's for admins: ``?user=``)."""
    return _account(request, db, page, user)


@router.post("/account/password", name="account_password")
def password(
    request: Request,
    db: DbSession,
    page: PageUser,
    current_password: Annotated[str, Form(max_length=1024)],
    new_password: Annotated[str, Form(max_length=1024)],
    repeat_password: Annotated[str, Form(max_length=1024)],
) -> Response:
    """Change one's own password: every other session ends, API tokens are revoked."""
    owner = subject(db, page.who, None)
    if new_password != repeat_password:
        return _account(
            request, db, page, None, error="the two new passwords differ", status_code=422
        )
    mine = current_session(request, db)
    try:
        change_password(
            db,
            owner,
            current_password,
            new_password,
            keep_session=None if mine is None else mine.id,
        )
    except (InvalidData, PermissionDenied) as exc:
        code = 403 if isinstance(exc, PermissionDenied) else 422
        return _account(request, db, page, None, error=str(exc), status_code=code)
    return _account(
        request,
        db,
        page,
        None,
        message="Password changed: your other sessions ended and your API tokens were revoked.",
    )


@router.post("/account/sessions/{session_id}/end", name="account_end_session")
def end(db: DbSession, page: PageUser, session_id: int, user: str | None = None) -> Response:
    """End one session (one's own, or another user's for admins)."""
    end_session(db, subject(db, page.who, user), session_id)
    return RedirectResponse("/account" + ("" if user is None else f"?user={user}"), 303)


@router.post("/account/tokens/{token_id}/revoke", name="account_revoke_token")
def revoke(db: DbSession, page: PageUser, token_id: int, user: str | None = None) -> Response:
    """Revoke one API token (one's own, or another user's for admins)."""
    revoke_token(db, subject(db, page.who, user), token_id)
    return RedirectResponse("/account" + ("" if user is None else f"?user={user}"), 303)


@router.post("/account/reset", name="account_reset_password")
def reset(
    request: Request,
    db: DbSession,
    page: PageUser,
    user: str,
    new_password: Annotated[str, Form(max_length=1024)],
    repeat_password: Annotated[str, Form(max_length=1024)],
) -> Response:
    """An admin sets another user's password (audited): every session of that user ends, their
    API tokens are revoked, and they must change it at their next login."""
    require(page.who, Role.admin)
    owner = subject(db, page.who, user)
    if owner.username == page.who.username:
        raise InvalidData("to change your own password, use the form with your current one")
    if new_password != repeat_password:
        return _account(
            request, db, page, user, error="the two new passwords differ", status_code=422
        )
    try:
        reset_password(db, owner.username, new_password, actor=page.who.username)
    except InvalidData as exc:
        return _account(request, db, page, user, error=str(exc), status_code=422)
    return _account(
        request,
        db,
        page,
        user,
        message=f"Password of {owner.username} reset: their sessions ended, their API tokens "
        "were revoked, and they must change it when they next log in.",
    )
