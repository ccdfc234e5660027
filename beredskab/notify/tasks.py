"""Celery tasks of the outbox. Escalation and bulk messages use separate queues."""

from __future__ import annotations

import logging
import time

from celery import shared_task

from beredskab.notify import delivery, outbox, sweeper

log = logging.getLogger(__name__)

# A paced batch can take longer than one lease: its waiting rows are renewed this often.
LEASE_RENEWAL_SECONDS = 20


@shared_task(name="beredskab.notify.send_message", ignore_result=True, acks_late=True)
def send_message(pk: int) -> str:
    return delivery.deliver(pk)


@shared_task(name="beredskab.notify.send_batch", ignore_result=True, acks_late=True)
def send_batch(pks: list[int]) -> int:
    token, claimed = outbox.claim_batch_rows(pks)
    sent = 0
    renewed = time.monotonic()
    for msg in claimed:
        if time.monotonic() - renewed > LEASE_RENEWAL_SECONDS:
            outbox.extend_lease(token)
            renewed = time.monotonic()
        try:
            if delivery.deliver(msg.pk, token=token, msg=msg) == "accepted":
                sent += 1
        except Exception:  # noqa: BLE001 - one bad row must not strand the rest of the batch
            # The row keeps its lease or stays queued; the sweeper picks it up again.
            log.exception("outbox #%s: delivery raised", msg.pk)
    return sent


@shared_task(name="beredskab.notify.sweep", ignore_result=True)
def sweep() -> dict:
    return sweeper.sweep()
