"""Periodic jobs of the outages app (scheduled in beredskab/celery.py)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="outages.refresh_binder")
def refresh_binder() -> bool:
    """Make the emergency binder again when its contents changed; idempotent."""
    from outages.binder import refresh

    return refresh()


@shared_task(name="outages.purge_campaigns")
def purge_campaigns(now: str | None = None) -> int:
    """Retention: forget citizens' names and numbers CAMPAIGN_RETENTION_DAYS after a
    booking-cancellation campaign ended; idempotent, safe to run twice at once.
    `now` (ISO) lets tests move time instead of waiting."""
    from django.utils.dateparse import parse_datetime

    from outages.services.campaigns import purge_due

    return purge_due(parse_datetime(now) if now else None)
