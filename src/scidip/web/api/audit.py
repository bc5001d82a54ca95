"""The audit log and each record's history, for admins; entries about records above the
admin's clearance are left out like the records themselves."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from scidip.registry import record as records
from scidip.registry.audit.service import AuditView, audit_entries
from scidip.registry.results import AuditOut, AuditPage
from scidip.web.deps import Admin, Day, DbSession
from scidip.web.kept import KeptReads

router = APIRouter(tags=["audit"], route_class=KeptReads)


def _out(entry: AuditView) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at,
        "actor": entry.actor,
        "action": entry.action,
        "record_table": entry.record_table,
        "record_key": entry.record_key,
        "before": entry.before,
        "after": entry.after,
    }


@router.get("/audit", response_model=AuditPage, name="audit_log")
def audit_log(
    db: DbSession,
    who: Admin,
    table: Annotated[str | None, Query(description="Only this table (e.g. person).")] = None,
    key: Annotated[str | None, Query(description="Only records with this key.")] = None,
    actor: Annotated[str | None, Query(description="Only changes by this user.")] = None,
    since: Annotated[
        Day | None, Query(description="Only changes on or after this day (UTC).")
    ] = None,
    until: Annotated[
        Day | None, Query(description="Only changes on or before this day (UTC).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Page size.")] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1, description="Entries to skip.")] = 0,
) -> Any:
    """Every change to the registry: who, when, what, before and after (admins)."""
    found = audit_entries(
        db,
        who.clearance,
        table=table,
        key=key,
        actor=actor,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    items = [_out(e) for e in found.entries]
    return {"items": items, "total": found.total, "limit": limit, "offset": offset}


def add_history_route(router: APIRouter, concept: Any) -> None:
    """Add ``GET /<concept>/<key>/history`` (admins) to ``router``."""

    def history(
        key: Annotated[str, Path(description="The record's key.")], db: DbSession, who: Admin
    ) -> Any:
        record = records.get(db, concept, key, who.clearance)
        found = audit_entries(db, who.clearance, table=concept.table, record_id=record.id)
        return [_out(e) for e in found.entries]

    router.add_api_route(
        f"/{concept.name}/{{key}}/history",
        history,
        methods=["GET"],
        response_model=list[AuditOut],
        name=f"history_of_{concept.table}",
        summary=f"History of a {concept.table} (admins)",
        tags=[concept.name],
    )
