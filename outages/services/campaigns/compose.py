"""Writing a campaign's message: placeholders, rendering per citizen, length in SMS
segments, the web-address warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from beredskab import timeline
from beredskab.actors import actor_text
from beredskab.broadcast import EXERCISE_PREFIX
from beredskab.cpr import mask_cpr
from beredskab.notify.segments import SegmentInfo, segment_info
from outages.models import (
    Campaign,
    CampaignError,
    CampaignMessage,
    CampaignRecipient,
)
from outages.models.system_outage import COPENHAGEN
from outages.services.campaigns.base import S, _lock, _now
from outages.services.campaigns.limits import exercise_numbers

# Citizens get the SMS in Danish whatever the staff's language: these are content.
DEFAULT_TEMPLATE = (
    "Vi må desværre aflyse din tid {tider} hos {sted}. "
    "Du kan booke en ny tid: {genbook}. Venlig hilsen Kommunen"
)
DEFAULT_FOLLOW_UP = "Vi har åbent igen. Du kan booke en ny tid: {genbook}. Venlig hilsen Kommunen"

PLACEHOLDERS = {
    "tider": _("the citizen's booked times in the period, e.g. 28.11. kl. 10.30"),
    "sted": _("the booking's location (from the file), else the campaign's location"),
    "ydelse": _("the booking's service, if the file has it"),
    "genbook": _("how to book again (the field “How to book again”)"),
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Danish operators may filter SMS with links; warn before sending one.
# A short link (bit.ly/abc) has a domain of any country followed by a path.
_WEB_ADDRESS = re.compile(
    r"(https?://|www\.|\b[a-z0-9-]+\.(dk|com|org|net|eu|info|nu|io|se|no|de)\b"
    r"|\b[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}/)",
    re.IGNORECASE,
)


def unknown_placeholders(template: str) -> list[str]:
    return sorted({name for name in _PLACEHOLDER.findall(template) if name not in PLACEHOLDERS})


def has_web_address(text: str) -> bool:
    return bool(_WEB_ADDRESS.search(text))


def _time_text(value: str) -> str:
    """A booking's time as Danish citizens read it: "28.11. kl. 10.30"."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return f"{day.day}.{day.month}."
        moment = datetime.fromisoformat(value).astimezone(COPENHAGEN)
    except ValueError:
        return value
    return f"{moment.day}.{moment.month}. kl. {moment:%H.%M}"


def _sort_key(value: str):
    try:
        if len(value) == 10:
            return (0, datetime.fromisoformat(value + "T00:00+00:00"), value)
        return (0, datetime.fromisoformat(value), value)
    except ValueError:
        return (1, datetime.max.replace(tzinfo=COPENHAGEN), value)


def _join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " og " + items[-1]


def _unique(values) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def render(template: str, campaign: Campaign, bookings: list[dict]) -> str:
    """The SMS exactly as one citizen gets it (with the exercise prefix in an exercise)."""
    times = [b.get("time", "") for b in bookings if b.get("time")]
    values = {
        "tider": _join([_time_text(t) for t in sorted(times, key=_sort_key)]),
        "sted": _join(_unique(b.get("location", "") for b in bookings)) or campaign.place,
        "ydelse": _join(_unique(b.get("service", "") for b in bookings)),
        "genbook": campaign.rebook,
    }
    text = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)
    text = " ".join(text.split(" ")).strip()
    prefix = EXERCISE_PREFIX if campaign.is_exercise else ""
    return f"{prefix}{text}"


@dataclass
class Measure:
    """The live count on the compose page."""

    sample: SegmentInfo  # the first recipient's message (or the bare template)
    longest: SegmentInfo  # the longest message of all recipients
    web_address: bool
    unknown: list[str]
    samples: list[tuple[CampaignRecipient, str]] = field(default_factory=list)

    @property
    def chars(self) -> int:
        return self.sample.units


def measure(campaign: Campaign, template: str, *, samples: int = 3) -> Measure:
    """Characters and segments (GSM-7 or UCS-2) of the messages as they would be sent."""
    recipients = list(campaign.recipients.order_by("pk"))
    shown = [(r, render(template, campaign, r.bookings)) for r in recipients[:samples]]
    first = shown[0][1] if shown else render(template, campaign, [])
    longest_text = first
    longest = segment_info(first)
    for recipient in recipients[samples:]:
        text = render(template, campaign, recipient.bookings)
        if len(text) < len(longest_text):
            continue
        info = segment_info(text)
        if (info.segments, info.units) > (longest.segments, longest.units):
            longest, longest_text = info, text
    for _recipient, text in shown:
        info = segment_info(text)
        if (info.segments, info.units) > (longest.segments, longest.units):
            longest = info
    return Measure(
        sample=segment_info(first),
        longest=longest,
        web_address=has_web_address(template) or has_web_address(campaign.rebook),
        unknown=unknown_placeholders(template),
        samples=shown,
    )


def distinct_texts(campaign: Campaign, template: str) -> list[tuple[str, int]]:
    """Every distinct SMS text that would go out, with how many citizens get it, most
    common first: what the person confirming and the approver read before sending
    (not three samples: a smuggled text in one row must be seen)."""
    recipients = campaign.recipients.all()
    if campaign.is_exercise:
        recipients = recipients.filter(mobile__in=exercise_numbers())
    counts: dict[str, int] = {}
    for bookings in recipients.order_by("pk").values_list("bookings", flat=True).iterator():
        text = render(template, campaign, bookings)
        counts[text] = counts.get(text, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def compose(
    campaign: Campaign,
    *,
    template: str,
    actor,
    rebook: str | None = None,
    now: datetime | None = None,
) -> CampaignMessage:
    """Write (or rewrite) the message not yet confirmed: the cancellation while the
    campaign is being prepared, a follow-up once it has been sent."""
    now = _now(now)
    template = mask_cpr(template.strip())
    if not template:
        raise CampaignError("the message is empty")
    if unknown_placeholders(template):
        raise CampaignError("the message has unknown placeholders")
    with transaction.atomic():
        locked = _lock(campaign)
        if locked.status not in (S.DRAFT, S.SENDING):
            raise CampaignError(f"no message can be written while {locked.status}")
        message = locked.draft_message()
        if message is None:
            if locked.status == S.DRAFT and locked.messages.exists():
                raise CampaignError("the first message is already confirmed")
            if locked.status == S.SENDING and not locked.recipients.exists():
                raise CampaignError("the recipients are gone")
            position = (locked.messages.aggregate(m=Max("position"))["m"] or 0) + 1
            message = CampaignMessage(
                campaign=locked,
                position=position,
                kind=(
                    CampaignMessage.Kind.CANCELLATION
                    if position == 1
                    else CampaignMessage.Kind.FOLLOW_UP
                ),
            )
        message.template = template
        message.composed_at = now
        message.composed_by_text = actor_text(actor)
        message.save()
        fields = ["updated_at"]
        if rebook is not None:
            locked.rebook = mask_cpr(rebook.strip())[:200]
            fields.append("rebook")
        locked.updated_at = now
        locked.save(update_fields=fields)
        info = segment_info(render(template, locked, []))
        timeline.record(
            locked,
            "campaign.composed" if message.position == 1 else "campaign.follow_up",
            actor=actor,
            at=now,
            data={
                "message": message.position,
                "template": template,
                "rebook": locked.rebook,
                "segments": info.segments,
                "encoding": info.encoding,
            },
        )
    campaign.refresh_from_db()
    return message
