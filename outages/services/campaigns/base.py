"""What every step of a campaign shares: the domain error for a step already taken, the
clock, the row lock.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from outages.models import (
    Campaign,
    CampaignError,
    CampaignStatus,
)

S = CampaignStatus


class AlreadyDone(CampaignError):
    """The step was taken already (another tab, a double click): nothing more was done."""


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _lock(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)
