"""Periodic jobs of the outages app (scheduled in beredskab/celery.py)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="outages.refresh_binder")
def refresh_binder() -> bool:
    """Make the emergency binder again when its contents changed; idempotent."""
    from outages.binder import refresh

    return refresh()
