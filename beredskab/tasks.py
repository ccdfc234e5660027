"""Periodic jobs of the shared core. Each takes `now`-free inputs and is idempotent."""

from __future__ import annotations

import json
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from beredskab import timeline
from beredskab.models import Heartbeat

log = logging.getLogger(__name__)


@shared_task(name="beredskab.tasks.heartbeat", ignore_result=True)
def heartbeat(name: str = "beat", detail: str = "") -> None:
    """Record that the machinery behind `name` is alive."""
    Heartbeat.objects.update_or_create(
        name=name[:100], defaults={"last_seen": timezone.now(), "detail": detail[:200]}
    )


@shared_task(name="beredskab.tasks.export_timeline_heads", ignore_result=True)
def export_timeline_heads() -> int:
    """Write the latest hash of every timeline chain out of the database.

    To the log and to a dated file under var/timeline-heads/, so a database admin
    cannot quietly rewrite a chain: the exported heads would no longer match.
    """
    heads = timeline.heads()
    folder = settings.VAR_DIR / "timeline-heads"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    (folder / f"heads-{stamp}.json").write_text(json.dumps(heads, indent=1), encoding="utf-8")
    for head in heads:
        log.info(
            "timeline head %s#%s seq=%s hash=%s",
            head["subject_type"],
            head["subject_id"],
            head["seq"],
            head["hash"],
        )
    return len(heads)
