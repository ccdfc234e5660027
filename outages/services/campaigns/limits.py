"""The caps on mass SMS: per campaign message (CAMPAIGN_MAX_RECIPIENTS) and per sender
in 24 hours (CAMPAIGN_MAX_PER_SENDER_PER_DAY), and the numbers re-checked just before
sending (a setting may have changed since the import).

The issue: one frontdesk account could send 20,000 SMS anywhere. The caps are shown on
the confirmation page and checked again, under lock, when the SMS are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from outages.models import Campaign, CampaignError, CampaignMessage, ExerciseNumber
from outages.services.campaigns.base import S
from outages.services.campaigns.numbers import may_text

DAY = timedelta(hours=24)


def exercise_numbers() -> set[str]:
    return set(ExerciseNumber.objects.values_list("number", flat=True))


def sms_count(campaign: Campaign) -> int:
    """How many SMS a confirmation sends now (in an exercise: only the test list's)."""
    recipients = campaign.recipients.all()
    if campaign.is_exercise:
        return recipients.filter(mobile__in=exercise_numbers()).count()
    return recipients.count()


class OverCap(CampaignError):
    """Sending would pass a cap; `text()` says which, in the person's language."""

    def __init__(self, kind: str, *, count: int, limit: int, used: int = 0):
        super().__init__(f"over the {kind} cap: {count} (used {used}) of {limit}")
        self.kind, self.count, self.limit, self.used = kind, count, limit, used

    def text(self) -> str:
        if self.kind == "campaign":
            return _(
                "Refused: the campaign would send %(count)s SMS, but at most %(limit)s are "
                "allowed per campaign. Nothing was sent."
            ) % {"count": self.count, "limit": self.limit}
        return _(
            "Refused: %(count)s SMS more would pass the limit of %(limit)s SMS per sender "
            "in 24 hours (%(used)s already). Nothing was sent."
        ) % {"count": self.count, "limit": self.limit, "used": self.used}


class NumbersRefused(CampaignError):
    """A recipient's number may no longer be texted (the allowed countries changed)."""

    def __init__(self, count: int):
        super().__init__(f"{count} numbers may not be texted")
        self.count = count

    def text(self) -> str:
        return ngettext(
            "Refused: %(count)s number may not be texted any more. Load the bookings again.",
            "Refused: %(count)s numbers may not be texted any more. Load the bookings again.",
            self.count,
        ) % {"count": self.count}


def sender_usage(sender_id: int | None, now: datetime, *, exclude: int | None = None) -> int:
    """Campaign SMS confirmed by this person in the last 24 hours: those sent (and sent
    again) plus those waiting for approval."""
    if sender_id is None:
        return 0
    messages = CampaignMessage.objects.filter(
        confirmed_by_id=sender_id, confirmed_at__gte=now - DAY
    ).select_related("campaign")
    if exclude is not None:
        messages = messages.exclude(pk=exclude)
    used = 0
    for message in messages:
        if message.sent_at is not None:
            used += message.planned_count + message.retried_count
        elif message.campaign.status == S.AWAITING_APPROVAL:
            used += sms_count(message.campaign)
    return used


@dataclass
class Limits:
    """What the confirmation page shows before anyone confirms."""

    count: int
    per_campaign: int
    used: int
    per_sender: int

    @property
    def left(self) -> int:
        return max(0, self.per_sender - self.used)

    @property
    def over_campaign(self) -> bool:
        return self.count > self.per_campaign

    @property
    def over_sender(self) -> bool:
        return self.used + self.count > self.per_sender

    @property
    def ok(self) -> bool:
        return not (self.over_campaign or self.over_sender)


def limits(count: int, sender_id: int | None, now: datetime, *, exclude=None) -> Limits:
    return Limits(
        count=count,
        per_campaign=settings.CAMPAIGN_MAX_RECIPIENTS,
        used=sender_usage(sender_id, now, exclude=exclude),
        per_sender=settings.CAMPAIGN_MAX_PER_SENDER_PER_DAY,
    )


def check_limits(
    campaign: Campaign, count: int, sender_id: int | None, now: datetime, *, exclude=None
) -> None:
    """Raise OverCap or NumbersRefused. Call in the sending transaction: the sender's
    login row is locked first, so two tabs confirming two campaigns at once cannot
    both slip under the daily cap."""
    if sender_id is not None:
        get_user_model().objects.select_for_update().filter(pk=sender_id).first()
    found = limits(count, sender_id, now, exclude=exclude)
    if found.over_campaign:
        raise OverCap("campaign", count=count, limit=found.per_campaign)
    if found.over_sender:
        raise OverCap("sender", count=count, limit=found.per_sender, used=found.used)
    mobiles = campaign.recipients.values_list("mobile", flat=True)
    refused = sum(1 for mobile in mobiles.iterator() if not may_text(mobile))
    if refused:
        raise NumbersRefused(refused)
