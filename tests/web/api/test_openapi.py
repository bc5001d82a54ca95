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


def test_the_new_fields_and_the_home_parameter_are_described(app: FastAPI) -> None:
    """What #13 added to the format is in the API's schemas, and every question about the home
    party's agreements takes the side to answer from."""
    spec = app.openapi()
    schemas = spec["components"]["schemas"]

    def props(name: str) -> list[str]:
        return sorted(schemas[name]["properties"])

    assert {"end", "note"} <= set(props("MeetingCreate"))
    assert "note" in props("EngagementCreate")
    assert "other_names" in props("PostCreate")
    assert "sizes" in props("OrganisationCreate")
    assert props("SizeIn") == ["as_of", "members", "note", "sources"]
    assert "organisation" in props("FigureCreate")
    date_field = schemas["MeetingCreate"]["properties"]["date"]["anyOf"][0]
    assert date_field["pattern"] == r"^((\d{4}(-\d{2}(-\d{2})?)?)?\.\.)?\d{4}(-\d{2}(-\d{2})?)?$"
    with_home = sorted(
        op["operationId"]
        for ops in spec["paths"].values()
        for op in ops.values()
        if any(p["name"] == "home" for p in op.get("parameters", []))
    )
    assert with_home == [
        "agreements_with",
        "coverage",
        "report_annual",
        "report_country",
        "succession_suggestions",
        "term_warnings",
    ]
