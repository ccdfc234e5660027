"""Periodic jobs of the training app (scheduled in beredskab/celery.py)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone
from django.utils.dateparse import parse_datetime


@shared_task(name="training.sync_assignments")
def sync_assignments() -> int:
    """Hourly: catch changes to people made anywhere (Django admin included)."""
    from training.services.assignments import sync_assignments as sync

    result = sync()
    return result.created + result.withdrawn + result.restored


@shared_task(name="training.weekly_reminders")
def weekly_reminders(now: str | None = None) -> int:
    """Every 15 minutes; sends only once a week per person (past Monday 08:00 local).
    `now` (ISO 8601) lets tests and replays move time."""
    from training.services.reminders import send_leader_digests, send_weekly_reminders

    moment = (parse_datetime(now) if now else None) or timezone.now()
    return send_weekly_reminders(moment) + send_leader_digests(moment)
