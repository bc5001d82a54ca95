"""Routes for every registry concept, built once over ``CONCEPTS``: list, read, create, update
(naming the version read), end (temporal concepts), delete, and a record's history (admins).

No ``from __future__ import annotations`` here: the route functions are made in a factory and
FastAPI reads their annotations, which name the factory's local schema classes.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field, create_model

from scidip.registry import read
from scidip.registry.guarded import (
    create_visible,
    delete_visible,
    end_visible,
    update_visible,
    visible_read,
)
from scidip.registry.read import TEMPORAL
from scidip.registry.record import Concept
from scidip.registry.schemas import INT_MAX, KEY_PATTERN, Key
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
    may read the key, run once the key is known (:func:`validated`)."""
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
