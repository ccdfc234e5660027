from __future__ import annotations

from celery import shared_task

from beredskab.escalation import engine


@shared_task(name="beredskab.escalation.tick", ignore_result=True)
def tick() -> dict:
    """Beat's clock for escalations: reminders, deputies, next steps, the alarm."""
    return engine.tick()
