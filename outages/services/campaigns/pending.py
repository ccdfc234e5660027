"""Campaigns waiting for a second person, for the "Afventer godkendelse" page
(beredskab.pending; registered in OutagesConfig.ready())."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from beredskab.pending import PendingItem
from outages.access import may_approve_campaigns
from outages.models import CampaignMessage, CampaignStatus
from outages.services.campaigns.limits import sms_count


def pending_campaigns(user) -> list[PendingItem]:
    """The campaigns this person may approve: approve_mass_sms, and not the one who
    confirmed the message (nobody approves their own)."""
    if not getattr(user, "is_authenticated", False) or not may_approve_campaigns(user):
        return []
    waiting = (
        CampaignMessage.objects.filter(
            campaign__status=CampaignStatus.AWAITING_APPROVAL,
            confirmed_at__isnull=False,
            sent_at__isnull=True,
            approved_at__isnull=True,
        )
        .exclude(confirmed_by_id=user.pk)
        .select_related("campaign")
        .order_by("confirmed_at")
    )
    items = []
    for message in waiting[:100]:
        campaign = message.campaign
        count = sms_count(campaign)
        items.append(
            PendingItem(
                kind=_("Booking cancellation by SMS"),
                title=ngettext(
                    "%(place)s: %(count)s SMS",
                    "%(place)s: %(count)s SMS",
                    count,
                )
                % {"place": campaign.place, "count": count},
                url=reverse("outages:campaign_approve", args=[campaign.pk]),
                requested_by=message.confirmed_by_text,
                requested_at=message.confirmed_at,
            )
        )
    return items
