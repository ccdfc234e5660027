"""Taking an escalation's locks in the one order (run, then step, then recipient; see
beredskab.models.escalation), and retrying a transaction PostgreSQL aborted as a
deadlock or a serialisation failure, a bounded number of times."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import OperationalError, connection, transaction

from beredskab.models import EscalationRun, Person, RunRecipient, RunStep

log = logging.getLogger(__name__)
T = TypeVar("T")

# SQLSTATEs worth a new attempt: deadlock_detected, serialization_failure,
# lock_not_available.
RETRYABLE = {"40P01", "40001", "55P03"}


def is_lock_conflict(exc: BaseException) -> bool:
    cause = exc.__cause__ or exc
    return getattr(cause, "sqlstate", None) in RETRYABLE


def atomic_with_retry(func: Callable[[], T]) -> T:
    """Run `func` in its own transaction; on a lock conflict roll back and run it again,
    at most ESCALATION_LOCK_ATTEMPTS times. Inside a caller's transaction there is
    nothing to retry on its own: the conflict goes up to the caller."""
    attempts = max(1, int(getattr(settings, "ESCALATION_LOCK_ATTEMPTS", 5)))
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return func()
        except OperationalError as exc:
            if not is_lock_conflict(exc) or attempt == attempts or connection.in_atomic_block:
                raise
            log.warning("escalation: lock conflict, attempt %s of %s", attempt, attempts)
            time.sleep(random.uniform(0.005, 0.02) * attempt)  # noqa: S311 (jitter, not crypto)
    raise AssertionError("unreachable")


def lock_step(step_pk: int) -> tuple[EscalationRun, RunStep]:
    """The step's run, then the step, locked (in the caller's transaction)."""
    run_id = RunStep.objects.filter(pk=step_pk).values_list("run_id", flat=True).get()
    run = EscalationRun.objects.lock(run_id)
    return run, RunStep.objects.lock(step_pk, run)


def lock_recipient(step: RunStep, person: Person) -> RunRecipient | None:
    """The person's row on the step, locked after the step."""
    if not getattr(step, "_locked", False):
        raise RuntimeError("lock the step before its recipients")
    return (
        RunRecipient.objects.select_for_update(of=("self",))
        .filter(step=step, person=person)
        .first()
    )
