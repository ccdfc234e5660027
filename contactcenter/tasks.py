"""The contact centre's periodic job. Idempotent and safe to run twice at once."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from contactcenter.probes import run_probes


@shared_task(name="contactcenter.tasks.probe_channels", ignore_result=True)
def probe_channels(now: datetime | str | None = None) -> dict[str, str]:
    """Probe the channels' health URLs; `now` lets tests move time instead of waiting."""
    if isinstance(now, str):  # through the broker a datetime may arrive as ISO text
        now = datetime.fromisoformat(now)
    return run_probes(now or timezone.now())
