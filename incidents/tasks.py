"""Periodic jobs of the incidents app (scheduled in beredskab/celery.py)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone
from django.utils.dateparse import parse_datetime


@shared_task(name="incidents.clock_reminders")
def clock_reminders(now: str | None = None) -> int:
    """The 72-hour reminders, and telling a systemkoordinator back from an absence what
    their deputy recorded meanwhile (both minute by minute, both idempotent); `now`
    (ISO 8601) lets tests and replays move time."""
    from incidents.services.clock import send_clock_reminders
    from incidents.services.deadline import escalate_deadlines
    from incidents.services.standin import tell_returned

    moment = (parse_datetime(now) if now else None) or timezone.now()
    # The reminders first: the 66-hour one comes before the deadline's escalation.
    return send_clock_reminders(moment) + escalate_deadlines(moment) + tell_returned(moment)


@shared_task(name="incidents.purge_retention", ignore_result=True)
def purge_retention(now: str | None = None) -> int:
    """Purge the personal data of incidents past their retention; idempotent."""
    from incidents.retention import purge_due

    moment = parse_datetime(now) if now else None
    return purge_due(moment or timezone.now())
