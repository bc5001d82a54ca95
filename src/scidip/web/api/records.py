"""Routes for every registry concept, built once over ``CONCEPTS``: list, read, create, update
(naming the version read), end (temporal concepts), delete, and a record's history (admins).

No ``from __future__ import annotations`` here: the route functions are made in a factory and
FastAPI reads their annotations, which name the factory's local schema classes.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from scidip.auth.service import Principal
from scidip.db.base import Sensitivity
from scidip.errors import InvalidData, NotFound, PermissionDenied
from scidip.registry import read
from scidip.registry import record as records
from scidip.registry.access import allowed
from scidip.registry.read import TEMPORAL, payloads, read_record
from scidip.registry.record import Concept
from scidip.registry.schemas import INT_MAX, KEY_PATTERN, Key
from scidip.registry.visibility import hidden_references, hidden_tables, redact, restore
from scidip.web.api.views import filter_model, page_model, read_schema
from scidip.web.deps import Day, DbSession, Editor, Reader

KeyPath = Annotated[str, Path(max_length=160, pattern=KEY_PATTERN, description="The record's key.")]
Version = Annotated[
    int, Query(ge=1, le=INT_MAX, description="The version read, as the record showed it.")
]
Limit = Annotated[int, Query(ge=1, le=1000, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=INT_MAX, description="Records to skip.")]
AsOfFilter = Annotated[
    Day | None, Query(description="Only records active on this day (start <= as_of < end).")
]


def _validated(concept: Concept[Any, Any], data: dict[str, Any]) -> Any:
    try:
        return concept.schema.model_validate(data)
    except ValidationError as exc:
        messages = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise InvalidData("; ".join(messages)) from exc


def _check_references(written: dict[str, Any], hidden: dict[str, str]) -> None:
    # Naming a record the writer cannot see is answered as if it did not exist (same message
    # as the registry's for a missing key): writing must not reveal what reading hides.
    for field, key in hidden_references(written, hidden):
        raise InvalidData(f"{field}: no {hidden[key]} with key {key!r}")


def _check_writable(who: Principal, sensitivity: Sensitivity) -> None:
    if not allowed(sensitivity, who.clearance):
        raise PermissionDenied(
            f"{who.username} may not write a {sensitivity.value} record "
            f"(clearance {who.clearance.value})"
        )


def visible_read(db: Any, concept: Concept[Any, Any], key: str, who: Principal) -> dict[str, Any]:
    """A record as the reader may see it (redacted); 404 if above their clearance."""
    record = records.get(db, concept, key, who.clearance)
    item = read_record(db, concept, record, who.clearance)
    if item is None:
        raise NotFound(f"no {concept.table} with key {key!r}")
    return item


def create_visible(db: Any, concept: Concept[Any, Any], data: BaseModel, who: Principal) -> Any:
    """Create a record within the writer's clearance, naming only records they can see."""
    _check_writable(who, data.sensitivity)  # type: ignore[attr-defined]
    written = data.model_dump(mode="json")
    _check_references(written, hidden_tables(db, who.clearance))
    if written["key"] is None:  # left to the registry: a random free key
        written["key"] = records.free_key(db, concept)
        data = _validated(concept, written)
    return records.create(db, concept, data, who.username)


def end_visible(
    db: Any, concept: Concept[Any, Any], key: str, on: str, version: int, who: Principal
) -> dict[str, Any]:
    """Close the period of a temporal record on ``on`` (its end, exclusive), naming the version
    read; the rest of the record as it is."""
    stored = visible_read(db, concept, key, who)
    fields = concept.schema.model_fields
    end_field = TEMPORAL[concept.name][1]
    data = _validated(concept, {k: v for k, v in stored.items() if k in fields} | {end_field: on})
    return update_visible(db, concept, key, data, version, who)


def delete_visible(
    db: Any, concept: Concept[Any, Any], key: str, version: int, who: Principal
) -> None:
    """Delete a record the writer can read, naming the version read."""
    # What the editor cannot read (above their clearance, or naming a record above it that
    # it cannot be shown without) does not exist for them: 404, before any version check.
    visible_read(db, concept, key, who)
    records.remove(db, concept, key, version, who.username)


def update_visible(
    db: Any, concept: Concept[Any, Any], key: str, data: BaseModel, version: int, who: Principal
) -> dict[str, Any]:
    """Update a record the reader can see, naming the version read, within their clearance;
    references they cannot see are kept. Returns the record as they see it after."""
    _check_writable(who, data.sensitivity)  # type: ignore[attr-defined]
    hidden = hidden_tables(db, who.clearance)
    # What is put back is what is stored, whole: the reader's copy lacks the hidden references.
    stored = payloads(db, concept, [records.get(db, concept, key, who.clearance)])[0]
    if redact(stored, concept, frozenset(hidden)) is None:  # 404 for what they cannot read
        raise NotFound(f"no {concept.table} with key {key!r}")
    written = data.model_dump(mode="json")
    _check_references(written, hidden)
    merged = restore(stored, written, frozenset(hidden))
    full = _validated(concept, merged)
    record = records.update(db, concept, key, full, version, who.username)
    return visible_read(db, concept, record.key, who)


def add_routes(router: APIRouter, concept: Concept[Any, Any]) -> None:
    """Add the routes of one concept to ``router`` under ``/<concept.name>``."""
    _add_list_route(router, concept)
    _add_read_route(router, concept)
    _add_create_route(router, concept)
    _add_update_route(router, concept)
    _add_delete_route(router, concept)
    if concept.name in TEMPORAL:
        _add_end_route(router, concept, read_schema(concept), [concept.name])


def _add_list_route(router: APIRouter, concept: Concept[Any, Any]) -> None:
    filters = filter_model(concept)

    def list_records(
        db: DbSession,
        who: Reader,
        query: Annotated[filters, Query()],  # type: ignore[valid-type]
        limit: Limit = 100,
        offset: Offset = 0,
        as_of: AsOfFilter = None,
    ) -> Any:
        wanted = query.model_dump()  # type: ignore[attr-defined]
        q = wanted.pop("q", None)
        page = read.list_records(
            db, concept, who.clearance, filters=wanted, q=q, as_of=as_of, limit=limit, offset=offset
        )
        return {"items": page.items, "total": page.total, "limit": limit, "offset": offset}

    def list_plain(
        db: DbSession,
        who: Reader,
        query: Annotated[filters, Query()],  # type: ignore[valid-type]
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> Any:
        return list_records(db, who, query, limit, offset, None)

    # as_of means nothing for a concept without a period: leave it out of its signature.
    lister: Any = list_records if concept.name in TEMPORAL else list_plain
    router.add_api_route(
        f"/{concept.name}",
        lister,
        methods=["GET"],
        response_model=page_model(concept),
        name=f"list_{concept.name}",
        summary=f"List {concept.name}",
        tags=[concept.name],
    )


def _add_read_route(router: APIRouter, concept: Concept[Any, Any]) -> None:
    def read_record(key: KeyPath, db: DbSession, who: Reader) -> Any:
        return visible_read(db, concept, key, who)

    router.add_api_route(
        f"/{concept.name}/{{key}}",
        read_record,
        methods=["GET"],
        response_model=read_schema(concept),
        name=f"read_{concept.table}",
        summary=f"Read one {concept.table}",
        tags=[concept.name],
        responses={404: {"description": "No such record, or one above your clearance."}},
    )


def create_body(concept: Concept[Any, Any]) -> type[BaseModel]:
    """The body of a create: the concept's fields with the key optional (left out, the registry
    assigns a free one: :func:`scidip.registry.record.free_key`). The schema's own rules, which
    may read the key, run once the key is known (:func:`_validated`)."""
    fields: dict[str, Any] = {
        name: (info.annotation, info) for name, info in concept.schema.model_fields.items()
    }
    fields["key"] = (
        Key | None,
        Field(
            default=None,
            description="Stable identifier: letters, digits and . _ : / -; left out, the "
            "registry assigns a free one (a key taken answers 409, the same whoever holds it).",
        ),
    )
    return create_model(
        f"{concept.schema.__name__}Body",
        __config__=ConfigDict(extra="forbid"),
        __doc__=concept.schema.__doc__,
        **fields,
    )


def _add_create_route(router: APIRouter, concept: Concept[Any, Any]) -> None:
    body = create_body(concept)

    def create_record(
        data: Annotated[body, Body()],  # type: ignore[valid-type]
        db: DbSession,
        who: Editor,
    ) -> Any:
        record = create_visible(db, concept, data, who)
        return visible_read(db, concept, record.key, who)

    router.add_api_route(
        f"/{concept.name}",
        create_record,
        methods=["POST"],
        response_model=read_schema(concept),
        status_code=201,
        name=f"create_{concept.table}",
        summary=f"Create a {concept.table}",
        tags=[concept.name],
    )


def _add_update_route(router: APIRouter, concept: Concept[Any, Any]) -> None:
    create_schema = concept.schema

    def update_record(
        key: KeyPath,
        data: Annotated[create_schema, Body()],  # type: ignore[valid-type]
        version: Version,
        db: DbSession,
        who: Editor,
    ) -> Any:
        return update_visible(db, concept, key, data, version, who)

    router.add_api_route(
        f"/{concept.name}/{{key}}",
        update_record,
        methods=["PUT"],
        response_model=read_schema(concept),
        name=f"update_{concept.table}",
        summary=f"Update a {concept.table} (409 if the version is stale)",
        tags=[concept.name],
    )


def _add_delete_route(router: APIRouter, concept: Concept[Any, Any]) -> None:
    def delete_record(key: KeyPath, version: Version, db: DbSession, who: Editor) -> Response:
        delete_visible(db, concept, key, version, who)
        return Response(status_code=204)

    router.add_api_route(
        f"/{concept.name}/{{key}}",
        delete_record,
        methods=["DELETE"],
        status_code=204,
        response_class=Response,
        name=f"delete_{concept.table}",
        summary=f"Delete a {concept.table}",
        tags=[concept.name],
    )


def _add_end_route(
    router: APIRouter, concept: Concept[Any, Any], read: type[BaseModel], tags: list[Any]
) -> None:
    def end_record(
        key: KeyPath,
        version: Version,
        on: Annotated[str, Query(description="The end (exclusive): YYYY, YYYY-MM or YYYY-MM-DD.")],
        db: DbSession,
        who: Editor,
    ) -> Any:
        return end_visible(db, concept, key, on, version, who)

    router.add_api_route(
        f"/{concept.name}/{{key}}/end",
        end_record,
        methods=["POST"],
        response_model=read,
        name=f"end_{concept.table}",
        summary=f"End a {concept.table} on a date",
        tags=tags,
    )
