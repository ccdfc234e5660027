"""Retention: citizens' names and numbers are purged N days after a campaign ends
(CAMPAIGN_RETENTION_DAYS), in the campaign and through the outbox's own purge; the
counts stay.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from beredskab.models import OutboxMessage
from beredskab.models.outbox import OPEN_STATUSES
from beredskab.notify import outbox
from outages.models import (
    Campaign,
    CampaignUpload,
)
from outages.services.campaign_import import REJECTED_WHO
from outages.services.campaigns.base import S, _lock, _now
from outages.services.campaigns.progress import progress

# --- Retention ---


def ended_at(campaign: Campaign) -> datetime | None:
    """When the campaign ended: None while any of its SMS may still change (or be sent).

    A campaign that was never sent (a draft left behind) ends at its last change."""
    rows = OutboxMessage.objects.for_group(campaign.group_key)
    if rows.filter(status__in=OPEN_STATUSES).exists():
        return None
    if (
        campaign.status == S.SENDING
        and campaign.messages.filter(confirmed_at__isnull=False, sent_at__isnull=True).exists()
    ):
        return None
    last_row = rows.aggregate(m=Max("finished_at"))["m"]
    candidates = [campaign.updated_at, campaign.cancelled_at, campaign.closed_at, last_row]
    return max(c for c in candidates if c is not None)


def purge(campaign: Campaign, *, now: datetime | None = None) -> bool:
    """Forget the citizens: recipients, the upload and the outbox rows' numbers, names
    and texts; the counts are kept on the messages for the report. Idempotent."""
    now = _now(now)
    with transaction.atomic():
        locked = _lock(campaign)
        if locked.status == S.PURGED:
            return False
        end = ended_at(locked)
        if end is None:
            return False
        for message in locked.messages.all():
            message.campaign = locked
            if message.sent_at is not None and not message.final_counts:
                message.final_counts = progress(message, now).as_dict()
                message.save(update_fields=["final_counts"])
        recipients = locked.recipients.count()
        # Flagged values are text from the citizens' rows: they go with them.
        locked.flags.all().delete()
        locked.recipients.all().delete()
        CampaignUpload.objects.filter(campaign=locked).delete()
        # Whose bookings the rejected rows were: names and times from the file.
        if REJECTED_WHO in (locked.import_summary or {}):
            locked.import_summary = {
                k: v for k, v in locked.import_summary.items() if k != REJECTED_WHO
            }
            locked.save(update_fields=["import_summary"])
        purged_rows = outbox.purge_group(locked.group_key)
        locked.move(
            S.PURGED,
            actor=None,
            now=now,
            kind="campaign.purged",
            data={"recipients": recipients, "sms": purged_rows},
            purged_at=now,
            ended_at=end,
        )
    return True


def purge_due(now: datetime | None = None) -> int:
    """The retention job: purge every campaign that ended CAMPAIGN_RETENTION_DAYS ago."""
    now = _now(now)
    cutoff = now - timedelta(days=settings.CAMPAIGN_RETENTION_DAYS)
    purged = 0
    # A campaign ends no earlier than its last change: a cheap first filter.
    candidates = Campaign.objects.exclude(status=S.PURGED).filter(updated_at__lte=cutoff)
    for campaign in candidates.order_by("pk"):
        end = ended_at(campaign)
        if end is not None and end <= cutoff and purge(campaign, now=now):
            purged += 1
    return purged
