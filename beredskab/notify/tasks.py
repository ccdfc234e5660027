"""Celery tasks of the outbox. Escalation and bulk messages use separate queues."""

from __future__ import annotations

from celery import shared_task

from beredskab.notify import delivery, sweeper


@shared_task(name="beredskab.notify.send_message", ignore_result=True, acks_late=True)
def send_message(pk: int) -> str:
    return delivery.deliver(pk)


@shared_task(name="beredskab.notify.send_batch", ignore_result=True, acks_late=True)
def send_batch(pks: list[int]) -> int:
    sent = 0
    for pk in pks:
        if delivery.deliver(pk) == "accepted":
            sent += 1
    return sent


@shared_task(name="beredskab.notify.sweep", ignore_result=True)
def sweep() -> dict:
    return sweeper.sweep()
