"""The throttle's arithmetic: free failures, growing delays, forgetting, who is counted where."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scidip.auth.models import LoginAttempt, LoginThrottle
from scidip.auth.throttle import FORGET_AFTER, check_and_record, delay, keys_for, prune

T0 = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def test_delays_start_after_the_free_failures_double_and_stop_at_15_minutes() -> None:
    assert [delay("account", n).total_seconds() for n in range(1, 11)] == [
        0, 0, 0, 0, 30, 60, 120, 240, 480, 900,
    ]  # fmt: skip
    assert delay("address", 19) == timedelta(0) and delay("address", 20) == timedelta(seconds=30)
    assert delay("account", 500) == timedelta(minutes=15)


def test_keys_an_account_and_an_address_or_a_known_device_alone() -> None:
    assert keys_for("Alice", "192.0.2.1", None) == ["account:alice", "address:192.0.2.1"]
    assert keys_for("Alice", "192.0.2.1", "d-123") == ["device:d-123"]


def test_a_waiting_key_is_refused_unchecked_until_its_time_then_forgotten(
    session: Session,
) -> None:
    keys = ["account:ann", "address:192.0.2.1"]
    checks: list[datetime] = []

    def wrong(at: datetime):  # type: ignore[no-untyped-def]
        return lambda: checks.append(at) or False

    for n in range(5):
        at = T0 + timedelta(seconds=n)
        assert check_and_record(session, keys, wrong(at), at).checked
    at = T0 + timedelta(seconds=10)
    refused = check_and_record(session, keys, wrong(at), at)
    assert (refused.checked, refused.retry_after) == (False, 24)  # 30 s after the 5th, at 4 s
    at = T0 + timedelta(seconds=34)
    assert check_and_record(session, keys, wrong(at), at).checked  # the 6th: now 60 s
    at = T0 + timedelta(seconds=93)
    assert check_and_record(session, keys, wrong(at), at).retry_after == 1
    # An hour and more without a failure: counted from zero again.
    later = T0 + timedelta(hours=1, seconds=35)
    right = check_and_record(session, keys, lambda: True, later)
    assert (right.checked, right.ok) == (True, True)
    assert len(checks) == 6


def _counts(session: Session) -> tuple[int, int]:
    attempts = session.scalar(select(func.count()).select_from(LoginAttempt))
    counters = session.scalar(select(func.count()).select_from(LoginThrottle))
    return int(attempts or 0), int(counters or 0)


def test_pruning_deletes_attempts_and_counters_older_than_the_window_only(
    session: Session,
) -> None:
    for minutes in (0, 59, 61, 200):  # attempts 0, 59, 61 and 200 minutes before T0 + 1 h
        at = T0 - timedelta(minutes=minutes) + FORGET_AFTER
        session.add(LoginAttempt(username="ann", at=at, succeeded=False, address="192.0.2.1"))
    check_and_record(session, ["address:192.0.2.7"], lambda: False, T0 - timedelta(minutes=1))
    check_and_record(session, ["address:192.0.2.8"], lambda: False, T0 + timedelta(minutes=1))
    check_and_record(session, ["account:ann"], lambda: True, T0 + timedelta(minutes=2))  # reset
    session.flush()
    assert _counts(session) == (4, 3)
    now = T0 + FORGET_AFTER
    assert prune(session, now) == (2, 2)  # the attempts at 61 and 200 min; .7 and ann's reset
    session.expire_all()
    assert _counts(session) == (2, 1)
    assert session.scalars(select(LoginThrottle.key)).all() == ["address:192.0.2.8"]
    assert session.get(LoginThrottle, "address:192.0.2.8").failures == 1  # type: ignore[union-attr]


def test_three_hours_of_guessing_from_new_addresses_keep_an_hour_of_rows(session: Session) -> None:
    # 3 hours, one failure a minute, each for a new name from a new address: 180 attempts and
    # 360 counters made. Pruned at each login, the tables keep what is at most an hour
    # old (the bound included): the attempts of 61 minutes and their 2 counters each.
    sizes = []
    for minute in range(3 * 60):
        at = T0 + timedelta(minutes=minute)
        prune(session, at)
        keys = keys_for(f"user-{minute}", f"198.51.{minute // 256}.{minute % 256}", None)
        verdict = check_and_record(session, keys, lambda: False, at)
        session.add(LoginAttempt(username="x", at=at, succeeded=False, checked=verdict.checked))
        session.flush()
        sizes.append(_counts(session))
    assert sizes[59:61] == [(60, 120), (61, 122)]
    assert set(sizes[60:]) == {(61, 122)}
