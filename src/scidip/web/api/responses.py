"""The errors every API operation may answer, documented in its OpenAPI entry.

FastAPI documents the 2xx answer of an operation and a 422 where it has parameters; the errors a
route raises (the domain errors of :mod:`scidip.web.errors`, authentication, a malformed body)
are added here, by rules on the operation, so that a new route is documented like the others:

- every operation but logging in: 401 (no valid token or session), 403 (role, clearance, CSRF);
- a path parameter: 404 (no such record, or one the reader may not see: the same answer);
- a write (POST, PUT, DELETE): 409 (a stale version, a key not available, still referenced);
- a request body: 400 (not JSON), 413 (too large), 422 (schema or registry rule);
- parameters or a body: 422; logging in: 401 and 429 (throttled).

Shapes (:mod:`scidip.web.errors`): a 422 is ``HTTPValidationError``, every other error ``Error``.
"""

from __future__ import annotations

from typing import Any

ERROR = {
    "title": "Error",
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "string", "description": "What went wrong, in words."}},
}

DESCRIPTIONS = {
    "400": "The body is not valid JSON.",
    "401": "Not logged in: no valid bearer token or session (or a wrong password).",
    "403": "Your role or clearance does not allow it, or the CSRF token is missing.",
    "404": "No such record, or one above your clearance (the two are the same answer).",
    "409": "A conflict: a stale version, a key that is not available, a record still referenced.",
    "413": "The request is too large.",
    "422": "The request breaks the schema or a rule of the registry.",
    "429": "Too many attempts: wait, then try again.",
}

LOGIN = "/api/v1/auth/token"


def _statuses(path: str, method: str, operation: dict[str, Any]) -> set[str]:
    params = operation.get("parameters", [])
    body = "requestBody" in operation
    found = {"422"} if params or body else set()
    found |= {"401", "429"} if path == LOGIN else {"401", "403"}
    if any(p.get("in") == "path" for p in params):
        found.add("404")
    if method in ("post", "put", "delete") and path != LOGIN:
        found.add("409")
    if body:
        found |= {"400", "413"}
    return found


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (an OpenAPI document) with the errors of every ``/api/`` operation added."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR
    error = {"$ref": "#/components/schemas/Error"}
    invalid = {"$ref": "#/components/schemas/HTTPValidationError"}
    for path, item in schema.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            for status in sorted(_statuses(path, method, operation)):
                if status in responses:
                    continue
                shape = invalid if status == "422" else error
                responses[status] = {
                    "description": DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": shape}},
                }
    return schema
