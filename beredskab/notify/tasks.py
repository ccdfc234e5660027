"""Celery tasks of the outbox. Escalation and bulk messages use separate queues."""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.db import InterfaceError, OperationalError

from beredskab.notify import delivery, outbox, sweeper

log = logging.getLogger(__name__)

# A paced batch can take longer than one lease: its waiting rows are renewed this often.
LEASE_RENEWAL_SECONDS = 20
# The database went away (refused, restarted, connection lost): try again soon.
DATABASE_AWAY = (OperationalError, InterfaceError)
DATABASE_BACKOFF_START = 0.5
DATABASE_BACKOFF_MAX = 5.0
DATABASE_RETRIES = 60  # about five minutes at the longest pause


@shared_task(name="beredskab.notify.send_message", ignore_result=True, acks_late=True)
def send_message(pk: int, attempt: int = 0) -> str:
    try:
        return delivery.deliver(pk)
    except DATABASE_AWAY:
        # A claimed row keeps its lease (the sweeper frees it); an unclaimed one is
        # asked for again shortly instead of waiting for the sweeper.
        _again(send_message, "escalation", attempt, args=[pk])
        return "database-away"


@shared_task(name="beredskab.notify.send_batch", ignore_result=True, acks_late=True)
def send_batch(pks: list[int], resume: str = "", attempt: int = 0) -> int:
    """Send a bulk batch. If the database goes away, the batch gives its rows back at
    once: a new try of the rest is queued with a short back-off (it takes the rows
    this try claimed but did not start), so sending resumes within seconds of the
    database's return, not when the sweeper finds the rows minutes later."""
    try:
        token, claimed = outbox.claim_batch_rows(pks, resume=resume)
    except DATABASE_AWAY:
        _again(send_batch, "bulk", attempt, args=[pks], kwargs={"resume": resume})
        return 0
    sent = 0
    renewed = time.monotonic()
    for index, msg in enumerate(claimed):
        try:
            if time.monotonic() - renewed > LEASE_RENEWAL_SECONDS:
                outbox.extend_lease(token)
                renewed = time.monotonic()
            if delivery.deliver(msg.pk, token=token, msg=msg) == "accepted":
                sent += 1
        except DATABASE_AWAY:
            # The row in hand is given back too if its send had not started; one whose
            # send started is an unknown send for the sweeper (looked up, never re-sent
            # blindly).
            rest = [row.pk for row in claimed[index:]]
            _again(send_batch, "bulk", 0, args=[rest], kwargs={"resume": token})
            return sent
        except Exception:  # noqa: BLE001 - one bad row must not strand the rest of the batch
            # The row keeps its lease or stays queued; the sweeper picks it up again.
            log.exception("outbox #%s: delivery raised", msg.pk)
    return sent


def _again(task, queue: str, attempt: int, *, args: list, kwargs: dict | None = None) -> None:
    """Queue `task` again after a short, growing pause, at most DATABASE_RETRIES times;
    after that (or with the broker down too) the sweeper takes over."""
    if attempt >= DATABASE_RETRIES:
        log.warning("%s: database away after %d tries; left to the sweeper", task.name, attempt)
        return
    countdown = min(DATABASE_BACKOFF_MAX, DATABASE_BACKOFF_START * 2**attempt)
    try:
        task.apply_async(
            args=args,
            kwargs={**(kwargs or {}), "attempt": attempt + 1},
            queue=queue,
            countdown=countdown,
            retry=False,
        )
    except Exception as exc:  # noqa: BLE001 - the broker too: the sweeper hands it over
        log.warning("%s: retry not queued (%s)", task.name, exc.__class__.__name__)


@shared_task(name="beredskab.notify.sweep", ignore_result=True)
def sweep() -> dict:
    return sweeper.sweep()
