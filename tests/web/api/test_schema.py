"""Schemathesis over the OpenAPI schema, in process, with every check it has: no server error,
every status and body as documented, schema-valid requests accepted and invalid ones refused.

Bounded so that it fits the suite (a fixed number of examples per operation and generation mode,
derandomized, no deadline: a few minutes at most on two cores); more examples with
SCIDIP_SCHEMATHESIS_EXAMPLES. The run is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation.modes import GenerationMode
from sqlalchemy import Engine

from scidip.auth.models import Role
from scidip.auth.service import add_user, issue_token
from scidip.db.base import Sensitivity

from ..conftest import loaded_app

EXAMPLES = int(os.environ.get("SCIDIP_SCHEMATHESIS_EXAMPLES", "6"))

# A schema-valid write may still break a rule only the registry's data can check (a reference
# to a key that does not exist, an end before its start): 422 is the documented answer there.
# Every other check keeps schemathesis's defaults.
CONFIG = """
[[operations]]
include-method = ["POST", "PUT", "DELETE"]
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]
"""


@pytest.fixture(scope="module")
def world(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The app over the fixture dataset, and an admin's token, for the whole module."""
    with loaded_app(engine, tmp_path_factory.mktemp("web")) as (app, session):
        admin = add_user(session, "admin", "password-of-admin", Role.admin, Sensitivity.restricted)
        token = issue_token(session, admin)
        session.flush()
        yield app, token


def _check(operation: Any, mode: GenerationMode, token: str, checks: list[Any]) -> list[str]:
    """Run bounded examples of one operation in one mode; the failures found, as text."""
    failures: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        try:
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=checks)
        except (Failure, FailureGroup) as exc:
            found = exc.exceptions if isinstance(exc, FailureGroup) else (exc,)
            failures.extend(
                f"{case.method} {case.formatted_path} {case.query or ''}: {f.title}: "
                f"{f.message[:300]}"
                for f in found
            )

    try:
        run()
    except Unsatisfiable:  # no invalid request can be sent (a path's key cannot be broken)
        assert mode is GenerationMode.NEGATIVE
    return failures


def _has_input(operation: Any) -> bool:
    # Negative cases need something to break: an operation without parameters or body has none.
    definition = operation.definition.raw
    return bool(definition.get("parameters") or definition.get("requestBody"))


def test_every_check_passes_on_every_operation(world: Any) -> None:
    # Schemathesis's pytest plugin does not load under this pytest; drive Hypothesis directly.
    app, token = world
    load_all_checks()
    checks = CHECKS.get_all()
    assert len(checks) >= 14  # every check schemathesis has, none left out
    config = SchemathesisConfig.from_str(CONFIG)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100
    failures = [
        failure
        for op in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        if mode is GenerationMode.POSITIVE or _has_input(op)
        for failure in _check(op, mode, token, checks)
    ]
    assert failures == []
