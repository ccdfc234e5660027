"""Periodic jobs of the shared core. Each is idempotent and safe to run twice at once."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime

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
def export_timeline_heads(now: datetime | None = None) -> int:
    """Write the latest hash of every timeline chain out of the database.

    To the log and to a dated file under VAR_DIR/timeline-heads/, so a database admin
    cannot quietly rewrite a chain: the exported heads would no longer match
    (`manage.py verify_timeline --heads FILE`). Only ids and hashes, no personal data.
    """
    now = now or timezone.now()
    heads = timeline.heads()
    folder = settings.VAR_DIR / "timeline-heads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"heads-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.json"
    # Write then rename: a crash never leaves a half-written file to compare against.
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(heads, indent=1), encoding="utf-8")
    os.replace(partial, path)
    for head in heads:
        log.info(
            "timeline head %s#%s seq=%s hash=%s",
            head["subject_type"],
            head["subject_id"],
            head["seq"],
            head["hash"],
        )
    log.info("timeline heads exported: %d chains to %s", len(heads), path)
    return len(heads)


@shared_task(name="beredskab.tasks.send_account_mail", ignore_result=True)
def send_account_mail(
    subject: str,
    body: str,
    from_email: str,
    to: list[str],
    html: str = "",
    headers: dict | None = None,
) -> None:
    """An account e-mail (password reset link, notice of a change), sent outside the
    request. Not through the outbox: a reset link must not be stored readable."""
    from django.core.mail import EmailMultiAlternatives

    msg = EmailMultiAlternatives(subject, body, from_email, to, headers=headers or {})
    if html:
        msg.attach_alternative(html, "text/html")
    msg.send()


@shared_task(name="beredskab.tasks.purge_sms_codes", ignore_result=True)
def purge_sms_codes(now: datetime | None = None) -> int:
    """Sign-in codes: their SMS texts forgotten once expired, old request rows deleted."""
    from beredskab import sms_login

    return sms_login.purge(now)


@shared_task(name="beredskab.tasks.risk_review_reminders", ignore_result=True)
def risk_review_reminders(now: datetime | None = None) -> int:
    """A month before a risk assessment's review date: remind its owner and coordinator."""
    from beredskab import risk_reviews

    return risk_reviews.remind_reviews(now)
