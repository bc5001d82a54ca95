"""The OpenAPI document: readable operation ids, a description on every field and parameter."""

from __future__ import annotations

from fastapi import FastAPI

FASTAPI_OWN = {"HTTPValidationError", "ValidationError"}


def test_operation_ids_are_readable_and_unique(app: FastAPI) -> None:
    spec = app.openapi()
    ids = [op["operationId"] for ops in spec["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    assert {
        "list_persons",
        "read_person",
        "create_person",
        "update_person",
        "delete_person",
        "end_appointment",
        "history_of_person",
        "coverage",
        "agreements_with",
        "export_persons_csv",
        "export_popolo",
        "export_calendar",
        "audit_log",
        "issue_token",
    } <= set(ids)
    assert all(i.replace("_", "").isalnum() for i in ids)


def test_every_field_and_parameter_has_a_description(app: FastAPI) -> None:
    spec = app.openapi()
    missing = [
        f"{name}.{prop}"
        for name, schema in spec["components"]["schemas"].items()
        if name not in FASTAPI_OWN
        for prop, body in schema.get("properties", {}).items()
        if "description" not in body
    ]
    assert missing == []
    undescribed = [
        (path, method, p["name"])
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        for p in op.get("parameters", [])
        if "description" not in p and "description" not in p.get("schema", {})
    ]
    assert undescribed == []
