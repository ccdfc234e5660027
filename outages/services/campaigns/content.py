"""Checking what an imported value would put into a citizen's SMS.

The issue: the booking file's time, place and service were pasted into the SMS
unchecked, so whoever can edit the booking system (or the file on its way) could make
the municipality text "ring 90 90 90 90" or a phishing link to thousands of citizens.
Every such value is checked here like the template itself; a flagged value blocks
sending until the sender excludes its row or confirms the value (outages.models
CampaignFlag).
"""

from __future__ import annotations

import re
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from beredskab import timeline
from beredskab.actors import actor_text
from outages.models import Campaign, CampaignError, CampaignFlag, CampaignRecipient
from outages.services.campaigns.base import S, _lock, _now
from outages.services.campaigns.compose import has_web_address

# Longer than any real location or service name in the booking exports we have seen;
# a longer value is more likely a message of its own than a place.
MAX_VALUE_LENGTH = 60

FLAG_REASONS = {
    "web_address": _("contains a web address"),
    "phone_number": _("contains a phone number"),
    "too_long": _("is longer than %(limit)s characters"),
}
# The imported fields that go into a text (the name never does).
CHECKED_FIELDS = ("time", "service", "location")

# Eight digits or more, spaced or not ("90 90 90 90", "+4590909090", "0046 70...").
_PHONE = re.compile(r"(?<!\d)(?:\+|00)?\d(?:[ .\-/]?\d){7,}(?!\d)")
# ...but not a date or a time span that happens to have eight digits.
_DATE_OR_TIME = re.compile(
    r"^(\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[.:]\d{2}\s*-\s*\d{1,2}[.:]\d{2})$"
)


def has_phone_number(text: str) -> bool:
    return any(not _DATE_OR_TIME.match(m.group(0).strip()) for m in _PHONE.finditer(text))


def value_flags(text: str) -> list[str]:
    """The reasons (FLAG_REASONS keys) an imported value must be looked at; [] if none."""
    text = text or ""
    reasons = []
    if has_web_address(text):
        reasons.append("web_address")
    if has_phone_number(text):
        reasons.append("phone_number")
    if len(text) > MAX_VALUE_LENGTH:
        reasons.append("too_long")
    return reasons


def reasons_text(reasons: list[str]) -> str:
    limit = {"limit": MAX_VALUE_LENGTH}
    return ", ".join(str(FLAG_REASONS.get(r, r)) % limit for r in reasons)


def store_flags(campaign, flags: list[dict]) -> int:
    """Write the import's flagged values (in the import's transaction, after the
    recipients): one CampaignFlag per row and field, linked to the citizen's row."""
    if not flags:
        return 0
    ids = dict(campaign.recipients.values_list("mobile", "pk"))
    CampaignFlag.objects.bulk_create(
        (
            CampaignFlag(
                campaign=campaign,
                recipient_id=ids.get(f["mobile"]),
                row=f["row"],
                field=f["field"],
                value=f["value"][:200],
                reasons=f["reasons"],
            )
            for f in flags
        ),
        batch_size=1000,
    )
    return len(flags)


Decision = CampaignFlag.Decision


class FlagsOpen(CampaignError):
    """Imported values are flagged and not yet decided: nothing may be sent."""


def open_flags(campaign: Campaign):
    return campaign.flags.filter(decision=Decision.OPEN)


def _exclude_row(recipient_id: int | None, row: int) -> None:
    """Take one booking (file row) out of the citizen's SMS; delete the citizen when no
    booking is left (then they get no SMS at all)."""
    # Read fresh: an earlier decision in the same request may have changed this row.
    recipient = CampaignRecipient.objects.filter(pk=recipient_id).first()
    if recipient is None:
        return
    keep = [(b, r) for b, r in zip(recipient.bookings, recipient.rows, strict=False) if r != row]
    if not keep:
        recipient.delete()
        return
    recipient.bookings = [b for b, _r in keep]
    recipient.rows = [r for _b, r in keep]
    recipient.save(update_fields=["bookings", "rows"])


def decide_flags(
    campaign: Campaign, decisions: dict[int, str], *, actor, now: datetime | None = None
) -> dict:
    """Apply the sender's decisions (flag id -> "confirmed" or "excluded") on open
    flags. Excluding decides every open flag of the same row. Returns the counts."""
    now = _now(now)
    counts = {"confirmed": 0, "excluded": 0}
    with transaction.atomic():
        locked = _lock(campaign)
        if locked.status != S.DRAFT:
            raise CampaignError("flags are decided only before the campaign is confirmed")
        flags = {f.pk: f for f in open_flags(locked)}
        excluded_rows: set[int] = set()
        for pk, decision in decisions.items():
            flag = flags.get(pk)
            if flag is None or decision not in (Decision.CONFIRMED, Decision.EXCLUDED):
                continue
            if flag.row in excluded_rows:
                continue
            if decision == Decision.EXCLUDED:
                excluded_rows.add(flag.row)
                _exclude_row(flag.recipient_id, flag.row)
                same_row = [f for f in flags.values() if f.row == flag.row and not f.decision]
            else:
                same_row = [flag]
            for item in same_row:
                item.decision = decision
            CampaignFlag.objects.filter(pk__in=[f.pk for f in same_row]).update(
                decision=decision, decided_at=now, decided_by_text=actor_text(actor)
            )
            if decision == Decision.CONFIRMED:
                counts["confirmed"] += 1
        counts["excluded"] = len(excluded_rows)
        if not any(counts.values()):
            return counts
        summary = dict(locked.import_summary or {})
        summary["excluded_rows"] = summary.get("excluded_rows", 0) + len(excluded_rows)
        summary["unique_mobiles"] = locked.recipients.count()
        summary["bookings"] = sum(len(r) for r in locked.recipients.values_list("rows", flat=True))
        locked.import_summary = summary
        locked.updated_at = now
        locked.save(update_fields=["import_summary", "updated_at"])
        # Row numbers and counts only: a flagged value may itself hold a phone number.
        timeline.record(
            locked,
            "campaign.flags_decided",
            actor=actor,
            at=now,
            data={
                "confirmed": counts["confirmed"],
                "excluded": counts["excluded"],
                "rows": sorted(excluded_rows)[:100],
                "open": open_flags(locked).count(),
            },
        )
    return counts
