"""Celery tasks of the outbox. Escalation and bulk messages use separate queues."""

from __future__ import annotations

import logging

from celery import shared_task

from beredskab.notify import delivery, sweeper

log = logging.getLogger(__name__)


@shared_task(name="beredskab.notify.send_message", ignore_result=True, acks_late=True)
def send_message(pk: int) -> str:
    return delivery.deliver(pk)


@shared_task(name="beredskab.notify.send_batch", ignore_result=True, acks_late=True)
def send_batch(pks: list[int]) -> int:
    sent = 0
    for pk in pks:
        try:
            if delivery.deliver(pk) == "accepted":
                sent += 1
        except Exception:  # noqa: BLE001 - one bad row must not strand the rest of the batch
            # The row keeps its lease or stays queued; the sweeper picks it up again.
            log.exception("outbox #%s: delivery raised", pk)
    return sent


@shared_task(name="beredskab.notify.sweep", ignore_result=True)
def sweep() -> dict:
    return sweeper.sweep()
