"""Watching a campaign's message: counts by bucket from the outbox, the rate, the expected
finish, and the failed recipients with the provider's reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from beredskab.models import OutboxMessage
from beredskab.models.outbox import Status
from beredskab.notify.pacing import BULK_SHARE
from outages.models import (
    CampaignMessage,
)
from outages.services.campaigns.base import _now

# What the watch page counts, from the outbox statuses.
BUCKETS = {
    "waiting": (Status.PENDING, Status.QUEUED, Status.CLAIMED),
    "sent": (Status.ACCEPTED, Status.SENT),
    "delivered": (Status.DELIVERED,),
    "failed": (Status.UNDELIVERED, Status.FAILED),
    "checking": (Status.UNKNOWN,),
    "cancelled": (Status.CANCELLED,),
}
FAILED = (Status.UNDELIVERED, Status.FAILED)

# Provider error codes people can act on (Twilio's numbers).
ERROR_TEXTS = {
    "21211": _("not a valid phone number"),
    "21408": _("the country is not enabled for SMS"),
    "21610": _("the citizen has blocked SMS from us"),
    "21614": _("not a mobile number"),
    "30003": _("the phone is switched off or unreachable"),
    "30004": _("the number blocks messages"),
    "30005": _("unknown number, or a landline"),
    "30006": _("a landline, or the operator cannot deliver"),
    "30007": _("filtered by the operator (e.g. because of a web address)"),
    "30008": _("unknown error at the operator"),
}


def message_rows(message: CampaignMessage):
    return OutboxMessage.objects.for_group(message.campaign.group_key).filter(
        idempotency_key__startswith=message.key_prefix
    )


@dataclass
class Progress:
    total: int = 0
    waiting: int = 0
    sent: int = 0
    delivered: int = 0
    failed: int = 0
    checking: int = 0
    cancelled: int = 0
    would_send: int = 0
    per_minute: int = 0
    expected_finish: datetime | None = None
    unlimited: bool = False

    @property
    def done(self) -> bool:
        """Every SMS handed to the provider (or failed, or cancelled)."""
        return self.waiting == 0 and self.checking == 0

    @property
    def final(self) -> bool:
        """Done, and no delivery report is awaited any more."""
        return self.done and self.sent == 0

    @property
    def reached(self) -> int:
        """Handed to the provider or further (sent, delivered or failed there)."""
        return self.sent + self.delivered + self.failed

    def as_dict(self) -> dict:
        keys = ("total", "waiting", "sent", "delivered", "failed", "checking", "cancelled")
        return {k: getattr(self, k) for k in keys} | {"would_send": self.would_send}


def progress(message: CampaignMessage, now: datetime | None = None) -> Progress:
    """Counts of one message's SMS, the send rate over the last minute and the expected
    finish at the configured provider rate (bulk's share of it)."""
    if message.final_counts:
        fields = Progress.__dataclass_fields__
        return Progress(**{k: v for k, v in message.final_counts.items() if k in fields})
    now = _now(now)
    result = Progress(would_send=message.would_send_count)
    if message.sent_at is None:
        return result
    rows = message_rows(message)
    by_status = rows.counts_by_status()
    for bucket, statuses in BUCKETS.items():
        setattr(result, bucket, sum(by_status.get(s, 0) for s in statuses))
    # A retried row stays failed in the outbox; its retry counts instead.
    result.failed = max(0, result.failed - message.retried_count)
    result.total = sum(by_status.values()) - message.retried_count
    result.per_minute = rows.filter(accepted_at__gte=now - timedelta(minutes=1)).count()
    rate = float(settings.SMS_RATE_PER_SECOND) * BULK_SHARE
    result.unlimited = rate <= 0
    if result.waiting:
        per_second = rate if rate > 0 else result.per_minute / 60
        if per_second > 0:
            result.expected_finish = now + timedelta(seconds=result.waiting / per_second)
    return result


@dataclass
class FailedSend:
    outbox_id: int
    recipient_id: int
    name: str
    mobile: str
    reason: str


_KEY_TAIL = re.compile(r":r(\d+)(?::retry(\d+))?$")


def _parse_key(key: str) -> tuple[int, int]:
    """(recipient id, retry round) from an outbox key of a campaign message."""
    match = _KEY_TAIL.search(key)
    if match is None:
        return 0, 0
    return int(match.group(1)), int(match.group(2) or 0)


def reason_text(code: str, error: str) -> str:
    if code in ERROR_TEXTS:
        return f"{ERROR_TEXTS[code]} ({code})"
    return error or code or str(_("no reason given"))


def failed_recipients(message: CampaignMessage) -> list[FailedSend]:
    """The citizens whose latest SMS of this message failed, with the provider's reason."""
    if message.sent_at is None:
        return []
    rows = message_rows(message)
    latest: dict[int, int] = {}
    for key in rows.filter(idempotency_key__contains=":retry").values_list(
        "idempotency_key", flat=True
    ):
        rid, round_ = _parse_key(key)
        latest[rid] = max(latest.get(rid, 0), round_)
    failed = []
    for row in rows.filter(status__in=FAILED).order_by("recipient_name", "pk"):
        rid, round_ = _parse_key(row.idempotency_key)
        if latest.get(rid, 0) > round_:
            continue
        failed.append(
            FailedSend(
                outbox_id=row.pk,
                recipient_id=rid,
                name=row.recipient_name,
                mobile=row.recipient,
                reason=reason_text(row.error_code, row.error),
            )
        )
    return failed
