"""Coverage from the stored spans agrees with the rule (``party_status``) on random registries.

The registries come from the synthetic generator (every kind of action, every precision, chains
of successors); the dates are random and the days around every recorded date, where the rule's
precision handling matters. The references below rebuild each answer the slow way, from the ORM
objects and ``party_status``, as SciDip did before the spans were stored.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.datasets.loader import load_dataset
from scidip.datasets.synthetic import Sizes, write_registry
from scidip.dates import Tri
from scidip.db.base import Sensitivity
from scidip.registry.access import allowed, visible
from scidip.registry.agreement.coverage import Coverage, coverage
from scidip.registry.agreement.models import ActionKind, AgreementKind
from scidip.registry.agreement.queries import (
    SuccessionSuggestion,
    TermWarning,
    succession_suggestions,
    term_warnings,
)
from scidip.registry.agreement.rule import action_date, party_status, term_end
from scidip.registry.agreement.schemas import AgreementCreate
from scidip.registry.agreement.service import AGREEMENT, agreements_of, counterparties
from scidip.registry.party.models import Party, PartyKind
from scidip.registry.party.schemas import PartyCreate
from scidip.registry.party.service import PARTY, successors_of
from scidip.registry.record import get, remove, snapshot, update

SMALL = Sizes(agreements=40, states=16, successions=30)


def reference_coverage(
    session: Session,
    home: str,
    as_of: date,
    kinds: list[AgreementKind] | None,
    clearance: Sensitivity,
) -> Coverage:
    result = Coverage(home=home, as_of=as_of, kinds=list(kinds or []))
    for agreement in agreements_of(session, home, kinds, clearance):
        statuses = [
            party_status(agreement, p, as_of) for p in counterparties(agreement, home, clearance)
        ]
        covered = [s for s in statuses if s.covered is Tri.YES]
        if covered:
            result.agreements.append(agreement.key)
        for s in covered:
            (result.states if s.party_kind is PartyKind.state else result.organisations).append(s)
        result.undecided.extend(s for s in statuses if s.covered is Tri.UNKNOWN)
    return result


def reference_suggestions(
    session: Session, home: str, as_of: date, clearance: Sensitivity
) -> list[SuccessionSuggestion]:
    found = []
    for agreement in agreements_of(session, home, clearance=clearance):
        acting = {a.party.id for a in agreement.actions if a.party is not None}
        for predecessor in counterparties(agreement, home, clearance):
            for succession in visible(successors_of(session, predecessor), clearance):
                successor = succession.successor
                when = succession.date
                happened = Tri.UNKNOWN if when is None else when.on_or_before(as_of)
                if (
                    not allowed(successor.sensitivity, clearance)
                    or successor.id in acting
                    or happened is Tri.NO
                ):
                    continue
                found.append(
                    SuccessionSuggestion(
                        agreement.key,
                        agreement.title,
                        predecessor.key,
                        successor.key,
                        successor.name,
                        when,
                    )
                )
    return found


def reference_terms(
    session: Session, home: str, as_of: date, clearance: Sensitivity
) -> list[TermWarning]:
    found = []
    for agreement in agreements_of(session, home, clearance=clearance):
        end = term_end(agreement)
        terminated = any(
            a.party is None
            and a.kind is ActionKind.termination
            and (when := action_date(a)) is not None
            and when.on_or_before(as_of) is Tri.YES
            for a in agreement.actions
        )
        if end is None or terminated:
            continue
        if end.on_or_before(as_of) is Tri.YES:
            found.append(TermWarning(agreement.key, agreement.title, end, "lapsed", None))
        elif end.earliest <= as_of + timedelta(days=180):
            days = (end.earliest - as_of).days
            found.append(TermWarning(agreement.key, agreement.title, end, "expiring", days))
    return sorted(found, key=lambda w: (w.term_end.sort_key(), w.agreement))


def dates_to_ask(session: Session, rng: random.Random) -> list[date]:
    """Random days, and the day before, of and after a sample of recorded dates."""
    recorded = []
    for agreement in agreements_of(session, None):
        for action in agreement.actions:
            for when in (action.taken, action.effective, action.until):
                if when is not None:
                    recorded += [when.first, when.last]
    days = [date(1950, 1, 1) + timedelta(days=rng.randrange(80 * 365)) for _ in range(3)]
    for day in rng.sample(recorded, min(3, len(recorded))):
        days += [day - timedelta(days=1), day, day + timedelta(days=1)]
    return days


def assert_agrees(session: Session, days: list[date]) -> None:
    for day in days:
        for clearance in (Sensitivity.restricted, Sensitivity.public):
            for kinds in (None, [AgreementKind.agreement, AgreementKind.memorandum]):
                assert coverage(session, "JPN", day, kinds, clearance) == reference_coverage(
                    session, "JPN", day, kinds, clearance
                ), (day, clearance, kinds)
            assert succession_suggestions(session, "JPN", day, clearance) == reference_suggestions(
                session, "JPN", day, clearance
            ), (day, clearance)
            assert term_warnings(session, "JPN", day, clearance=clearance) == reference_terms(
                session, "JPN", day, clearance
            ), (day, clearance)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_coverage_from_spans_agrees_with_the_rule(
    session: Session, tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    folder = write_registry(tmp_path_factory.mktemp("registry"), SMALL, seed)
    with session.begin_nested() as example:  # each example on its own registry
        load_dataset(session, folder)
        assert_agrees(session, dates_to_ask(session, random.Random(seed)))
        example.rollback()
    session.expunge_all()  # the next example's rows may reuse these ids


def test_spans_follow_every_write(session: Session, tmp_path: Path) -> None:
    """An agreement's actions changed, a party's end, a delete: the answers stay the rule's."""
    load_dataset(session, write_registry(tmp_path, SMALL, seed=7))
    rng = random.Random(7)
    days = dates_to_ask(session, rng)
    keys = [a.key for a in agreements_of(session, "JPN")]
    changed = get(session, AGREEMENT, keys[0])
    partner = next(a.party.key for a in changed.actions if a.party and a.party.key != "JPN")
    actions = [
        {"kind": "signature", "party": "JPN", "taken": "1990"},
        {"kind": "signature", "party": partner, "taken": "1990-02"},
        {"kind": "entry_into_force", "effective": "..1991-06", "until": "2001"},
    ]
    data = AgreementCreate.model_validate(
        {**snapshot(session, AGREEMENT, changed).model_dump(), "actions": actions}
    )
    update(session, AGREEMENT, keys[0], data, changed.version, "test")
    remove(session, AGREEMENT, keys[1], get(session, AGREEMENT, keys[1]).version, "test")
    party = session.scalars(select(Party).where(Party.key != "JPN").order_by(Party.key)).first()
    assert party is not None
    data_p = PartyCreate.model_validate(
        {**snapshot(session, PARTY, party).model_dump(), "existed_until": "1995-03"}
    )
    update(session, PARTY, party.key, data_p, party.version, "test")
    assert_agrees(session, days)
    after = coverage(session, "JPN", date(1995, 6, 1))
    assert keys[1] not in after.agreements
    assert party.key not in after.state_codes


def test_statements_do_not_grow_with_the_registry(session: Session, tmp_path: Path) -> None:
    """Coverage, suggestions and term warnings read a fixed number of statements, whatever the
    number of agreements: 2, 3 and 1."""
    from tests.registry.test_read import statements

    counted = []
    for n, sizes in enumerate((Sizes(10, 8, 6), SMALL)):
        with session.begin_nested() as example:
            load_dataset(session, write_registry(tmp_path / str(n), sizes, seed=3))
            day = date(2005, 6, 30)
            with statements(session) as cov:
                coverage(session, "JPN", day)
            with statements(session) as suggestions:
                succession_suggestions(session, "JPN", day)
            with statements(session) as terms:
                term_warnings(session, "JPN", day)
            counted.append((len(cov), len(suggestions), len(terms)))
            example.rollback()
        session.expunge_all()
    assert counted == [(2, 3, 1), (2, 3, 1)]
