"""Schemathesis over the OpenAPI schema, in process: no request it generates is a server error.

Bounded (a few examples per operation) to keep the suite fast; run with more examples by
setting SCIDIP_SCHEMATHESIS_EXAMPLES.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Engine

from scidip.auth.models import Role
from scidip.auth.service import add_user, issue_token
from scidip.datasets.loader import load_dataset
from scidip.db.base import Sensitivity
from scidip.db.stamp import StampingSession

from ..conftest import SUCCESSION, build_app

EXAMPLES = int(os.environ.get("SCIDIP_SCHEMATHESIS_EXAMPLES", "3"))


@pytest.fixture(scope="module")
def world(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The app over the fixture dataset, and an admin's token, for the whole module."""
    with engine.connect() as conn:
        outer = conn.begin()
        session = StampingSession(bind=conn, join_transaction_mode="create_savepoint")
        load_dataset(session, SUCCESSION)
        app = build_app(engine, session, tmp_path_factory.mktemp("web"))
        admin = add_user(session, "admin", "password-of-admin", Role.admin, Sensitivity.restricted)
        token = issue_token(session, admin)
        session.flush()
        yield app, token
        session.close()
        outer.rollback()


def _check(operation: Any, token: str) -> list[str]:
    """Run bounded examples of one operation; the server errors found, as text."""
    errors: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        if response.status_code >= 500:
            errors.append(f"{case.method} {case.formatted_path}: {response.text[:300]}")

    run()
    return errors


def test_no_generated_request_is_a_server_error(world: Any) -> None:
    # Schemathesis's pytest plugin does not load under this pytest; drive Hypothesis directly.
    app, token = world
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100
    errors = [e for op in operations for e in _check(op, token)]
    assert errors == []
