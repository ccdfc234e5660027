"""Issue 14, item 1: an acknowledgement pressed while the reminder tick runs never
answers 500, and its step ends acknowledged. Real PostgreSQL, real threads."""

from __future__ import annotations

import random

import pytest

from tests.ack_tick import press_during_tick, seed_chain, start_due_runs


@pytest.mark.django_db(transaction=True)
def test_acks_pressed_within_30_ms_of_the_tick_never_fail(postgres, settings):
    settings.SMS_BACKEND = "locmem"
    chain = seed_chain()
    rng = random.Random(14)
    presses = acked = 0
    for _round in range(3):
        due = start_due_runs(chain, 12)
        result = press_during_tick(due, rng)
        assert result.errors == []
        assert all(status < 500 for status in result.statuses), result.statuses
        assert sorted(set(result.statuses)) == [200]
        presses += result.presses
        acked += result.acked
    assert acked == presses == 36


class _Deadlock(Exception):
    sqlstate = "40P01"


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_is_retried_a_bounded_number_of_times(settings):
    from django.db import OperationalError

    from beredskab.escalation.locking import atomic_with_retry

    settings.ESCALATION_LOCK_ATTEMPTS = 3
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("deadlock detected") from _Deadlock()
        return "done"

    assert atomic_with_retry(flaky) == "done" and len(calls) == 3

    def always():
        calls.append(1)
        raise OperationalError("deadlock detected") from _Deadlock()

    calls.clear()
    with pytest.raises(OperationalError):
        atomic_with_retry(always)
    assert len(calls) == 3  # bounded


@pytest.mark.django_db(transaction=True)
def test_other_database_errors_are_not_retried():
    from django.db import OperationalError

    from beredskab.escalation.locking import atomic_with_retry

    calls = []

    def broken():
        calls.append(1)
        raise OperationalError("connection refused")

    with pytest.raises(OperationalError):
        atomic_with_retry(broken)
    assert len(calls) == 1
