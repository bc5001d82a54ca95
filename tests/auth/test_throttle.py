"""The throttle's arithmetic: free failures, growing delays, forgetting, who is counted where."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from scidip.auth.throttle import check_and_record, delay, keys_for

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
