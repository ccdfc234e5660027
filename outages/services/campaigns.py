"""Booking cancellation by mass SMS: the campaign's life, one function per step.

    campaign = start(user, period_start=..., period_end=..., place=..., reason=...)
    # bookings: outages.services.campaign_import (load_file / apply_mapping / parse_pasted)
    message = compose(campaign, template="Din tid {tider} ...", rebook="...", actor=user)
    outcome = confirm(campaign, message.pk, actor=user)  # "sending" or "awaiting_approval"
    approve(campaign, message.pk, actor=other_user)      # when CAMPAIGN_REQUIRE_APPROVAL
    progress(message)                                    # counts, rate, expected finish
    failed_recipients(message)                           # for the door guard to call
    retry_failed(campaign, message.pk, round_=1, actor=user)
    follow_up = compose(campaign, template="Vi har åbent igen ...", actor=user)
    cancel(campaign, actor=user); close(campaign, actor=user)
    purge_due(now)                                       # the daily retention job

Every SMS goes through the outbox in the group `campaign:<id>` (Campaign.group_key)
with the idempotency key `campaign:<id>:m<message id>:r<recipient id>` (and
`:retry<n>` for the n-th retry), written in the same transaction that moves the
campaign, under select_for_update of the campaign: a double click, a second tab, a
reload or a retried request finds the message already confirmed (AlreadyDone) and
sends nothing more. Timeline events carry counts, never citizens' names or numbers.

Placeholders in a message (documented on the compose page): {tider} the citizen's
booked times, {sted} the location, {ydelse} the service, {genbook} how to book again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskab import timeline
from beredskab.broadcast import EXERCISE_PREFIX
from beredskab.cpr import mask_cpr
from beredskab.models import OutboxMessage
from beredskab.models.outbox import OPEN_STATUSES, Priority, Status
from beredskab.notify import outbox
from beredskab.notify.pacing import BULK_SHARE
from beredskab.notify.segments import SegmentInfo, segment_info
from outages.models import (
    Campaign,
    CampaignError,
    CampaignMessage,
    CampaignRecipient,
    CampaignStatus,
    CampaignUpload,
    ExerciseNumber,
)
from outages.models.system_outage import COPENHAGEN, actor_text

S = CampaignStatus

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
    "genbook": _("how to book again (the field below)"),
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Danish operators may filter SMS with links; warn before sending one.
_WEB_ADDRESS = re.compile(
    r"(https?://|www\.|\b[a-z0-9-]+\.(dk|com|org|net|eu|info|nu|io|se|no|de)\b)", re.IGNORECASE
)

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


class AlreadyDone(CampaignError):
    """The step was taken already (another tab, a double click): nothing more was done."""


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _lock(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


# --- Start ---


def start(
    actor,
    *,
    period_start: datetime,
    period_end: datetime,
    place: str,
    reason: str,
    power_outage=None,
    system_outage=None,
    is_exercise: bool = False,
    nonce: str = "",
    now: datetime | None = None,
) -> Campaign:
    """Create the campaign (no recipients yet). Idempotent per nonce."""
    now = _now(now)
    if period_end <= period_start:
        raise CampaignError("the period must end after it starts")
    if nonce:
        existing = Campaign.objects.filter(nonce=nonce).first()
        if existing is not None:
            return existing
    with transaction.atomic():
        campaign = Campaign.objects.create(
            period_start=period_start,
            period_end=period_end,
            place=mask_cpr(place.strip())[:150],
            reason=mask_cpr(reason.strip())[:300],
            power_outage=power_outage,
            system_outage=system_outage,
            is_exercise=is_exercise,
            created_at=now,
            updated_at=now,
            created_by_id=getattr(actor, "pk", None),
            created_by_text=actor_text(actor),
            nonce=nonce or None,
        )
        timeline.record(
            campaign,
            "campaign.created",
            actor=actor,
            at=now,
            data={
                "place": campaign.place,
                "reason": campaign.reason,
                "period_start": campaign.period_start.isoformat(),
                "period_end": campaign.period_end.isoformat(),
                "exercise": is_exercise,
                "power_outage": getattr(power_outage, "pk", None),
                "system_outage": getattr(system_outage, "pk", None),
            },
        )
    return campaign


# --- The message text ---


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


# --- Confirm, approve, send ---


def exercise_numbers() -> set[str]:
    return set(ExerciseNumber.objects.values_list("number", flat=True))


def sms_count(campaign: Campaign) -> int:
    """How many SMS a confirmation sends now (in an exercise: only the test list's)."""
    recipients = campaign.recipients.all()
    if campaign.is_exercise:
        return recipients.filter(mobile__in=exercise_numbers()).count()
    return recipients.count()


def _get_message(campaign: Campaign, message_id: int) -> CampaignMessage:
    message = (
        CampaignMessage.objects.select_for_update().filter(campaign=campaign, pk=message_id).first()
    )
    if message is None:
        raise CampaignError("no such message in this campaign")
    return message


def confirm(campaign: Campaign, message_id: int, *, actor, now: datetime | None = None) -> str:
    """The person confirmed (password checked by the view). Sends now, or waits for a
    second person when settings.CAMPAIGN_REQUIRE_APPROVAL. Returns the new status.

    Raises AlreadyDone when this message was confirmed before (a second tab)."""
    now = _now(now)
    with transaction.atomic():
        locked = _lock(campaign)
        message = _get_message(locked, message_id)
        if message.confirmed_at is not None:
            raise AlreadyDone("the message was already confirmed")
        if locked.status not in (S.DRAFT, S.SENDING):
            raise CampaignError(f"cannot confirm while {locked.status}")
        if not locked.recipients.exists():
            raise CampaignError("no recipients")
        message.confirmed_at = now
        message.confirmed_by_id = getattr(actor, "pk", None)
        message.confirmed_by_text = actor_text(actor)
        message.save(update_fields=["confirmed_at", "confirmed_by_id", "confirmed_by_text"])
        count = sms_count(locked)
        timeline.record(
            locked,
            "campaign.confirmed",
            actor=actor,
            at=now,
            data={"message": message.position, "sms": count},
        )
        # The export has done its job: the recipients are stored.
        CampaignUpload.objects.filter(campaign=locked).delete()
        if settings.CAMPAIGN_REQUIRE_APPROVAL:
            locked.move(
                S.AWAITING_APPROVAL,
                actor=actor,
                now=now,
                kind="campaign.awaiting_approval",
                data={"message": message.position},
            )
            return S.AWAITING_APPROVAL
        _send(locked, message, actor=actor, now=now)
    return S.SENDING


def approve(campaign: Campaign, message_id: int, *, actor, now: datetime | None = None) -> None:
    """A second person (not the one who confirmed) approves: the SMS go out."""
    now = _now(now)
    with transaction.atomic():
        locked = _lock(campaign)
        message = _get_message(locked, message_id)
        if message.sent_at is not None or message.approved_at is not None:
            raise AlreadyDone("the message was already approved")
        if locked.status != S.AWAITING_APPROVAL or message.confirmed_at is None:
            raise CampaignError(f"nothing to approve while {locked.status}")
        if message.confirmed_by_id is not None and message.confirmed_by_id == actor.pk:
            raise CampaignError("the approver must be another person than the confirmer")
        message.approved_at = now
        message.approved_by_text = actor_text(actor)
        message.save(update_fields=["approved_at", "approved_by_text"])
        timeline.record(
            locked, "campaign.approved", actor=actor, at=now, data={"message": message.position}
        )
        _send(locked, message, actor=actor, now=now)


def _send(campaign: Campaign, message: CampaignMessage, *, actor, now: datetime) -> int:
    """In the caller's transaction, with the campaign locked: one outbox row per SMS."""
    recipients = list(campaign.recipients.order_by("pk"))
    total = len(recipients)
    if campaign.is_exercise:
        allowed = exercise_numbers()
        recipients = [r for r in recipients if r.mobile in allowed]
    outbox.enqueue(
        outbox.NewMessage(
            channel="sms",
            recipient=r.mobile,
            recipient_name=r.name,
            body=render(message.template, campaign, r.bookings),
            idempotency_key=message.outbox_key(r.pk),
            priority=Priority.BULK,
            group_key=campaign.group_key,
        )
        for r in recipients
    )
    message.sent_at = now
    message.planned_count = len(recipients)
    message.would_send_count = total - len(recipients)
    message.save(update_fields=["sent_at", "planned_count", "would_send_count"])
    campaign.move(
        S.SENDING,
        actor=actor,
        now=now,
        kind="campaign.sending",
        data={
            "message": message.position,
            "sms": len(recipients),
            "would_have_been_sent": message.would_send_count,
        },
    )
    return len(recipients)


# --- Watch ---


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


def retry_failed(
    campaign: Campaign, message_id: int, *, round_: int, actor, now: datetime | None = None
) -> int:
    """Send the failed SMS of a message again (new outbox rows, key suffix :retry<n>).

    `round_` is the retry the person saw the button for (message.retry_rounds + 1): a
    second click of the same button raises AlreadyDone and sends nothing."""
    now = _now(now)
    with transaction.atomic():
        locked = _lock(campaign)
        message = _get_message(locked, message_id)
        if message.retry_rounds >= round_:
            raise AlreadyDone("this retry was already made")
        if locked.status != S.SENDING or message.sent_at is None:
            raise CampaignError(f"cannot retry while {locked.status}")
        message.campaign = locked
        failed = failed_recipients(message)
        if not failed:
            raise CampaignError("nothing failed")
        round_ = message.retry_rounds + 1
        rows = {r.pk: r for r in OutboxMessage.objects.filter(pk__in=[f.outbox_id for f in failed])}
        outbox.enqueue(
            outbox.NewMessage(
                channel="sms",
                recipient=rows[f.outbox_id].recipient,
                recipient_name=rows[f.outbox_id].recipient_name,
                body=rows[f.outbox_id].body,
                idempotency_key=message.outbox_key(f.recipient_id, round_),
                priority=Priority.BULK,
                group_key=locked.group_key,
            )
            for f in failed
        )
        message.retry_rounds = round_
        message.retried_count += len(failed)
        message.save(update_fields=["retry_rounds", "retried_count"])
        locked.updated_at = now
        locked.save(update_fields=["updated_at"])
        timeline.record(
            locked,
            "campaign.retried",
            actor=actor,
            at=now,
            data={"message": message.position, "round": round_, "sms": len(failed)},
        )
    return len(failed)


# --- Cancel, close ---


def cancel(campaign: Campaign, *, actor, now: datetime | None = None) -> int:
    """Stop the campaign: SMS not yet handed to the provider are cancelled."""
    now = _now(now)
    with transaction.atomic():
        locked = _lock(campaign)
        if locked.status == S.CANCELLED:
            raise AlreadyDone("already cancelled")
        if S.CANCELLED not in locked.allowed_transitions():
            raise CampaignError(f"cannot cancel while {locked.status}")
        stopped = outbox.cancel(OutboxMessage.objects.for_group(locked.group_key))
        locked.move(
            S.CANCELLED,
            actor=actor,
            now=now,
            kind="campaign.cancelled",
            data={"sms_stopped": stopped},
            cancelled_at=now,
            cancelled_by_text=actor_text(actor),
        )
    return stopped


def close(campaign: Campaign, *, actor, now: datetime | None = None) -> None:
    """No more follow-ups: the campaign ends once its SMS are final."""
    now = _now(now)
    with transaction.atomic():
        locked = _lock(campaign)
        if locked.status == S.CLOSED:
            raise AlreadyDone("already closed")
        if S.CLOSED not in locked.allowed_transitions():
            raise CampaignError(f"cannot close while {locked.status}")
        locked.messages.filter(confirmed_at__isnull=True).delete()
        locked.move(S.CLOSED, actor=actor, now=now, kind="campaign.closed", closed_at=now)


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
        locked.recipients.all().delete()
        CampaignUpload.objects.filter(campaign=locked).delete()
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
