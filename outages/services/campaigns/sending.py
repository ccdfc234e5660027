"""A campaign's life: start, confirm (once), approve, send, retry the failed, cancel, close."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction

from beredskab import timeline
from beredskab.actors import actor_text
from beredskab.cpr import mask_cpr
from beredskab.models import OutboxMessage
from beredskab.models.outbox import Priority
from beredskab.notify import outbox
from beredskab.once import once_per_nonce
from outages.models import (
    Campaign,
    CampaignError,
    CampaignMessage,
    CampaignUpload,
)
from outages.services.campaigns.base import AlreadyDone, S, _lock, _now
from outages.services.campaigns.compose import render
from outages.services.campaigns.content import FlagsOpen, open_flags
from outages.services.campaigns.limits import check_limits, exercise_numbers, sms_count
from outages.services.campaigns.progress import failed_recipients

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

    def create() -> Campaign:
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

    return once_per_nonce(Campaign, nonce, create)


# --- The message text ---


# --- Confirm, approve, send ---


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
        flagged = open_flags(locked).count()
        if flagged:
            raise FlagsOpen(f"{flagged} imported values are not decided")
        count = sms_count(locked)
        check_limits(locked, count, getattr(actor, "pk", None), now)
        message.confirmed_at = now
        message.confirmed_by_id = getattr(actor, "pk", None)
        message.confirmed_by_text = actor_text(actor)
        message.save(update_fields=["confirmed_at", "confirmed_by_id", "confirmed_by_text"])
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
        # The sender's cap again: other campaigns of theirs may have gone out meanwhile.
        check_limits(locked, sms_count(locked), message.confirmed_by_id, now, exclude=message.pk)
        message.approved_at = now
        message.approved_by_id = actor.pk
        message.approved_by_text = actor_text(actor)
        message.save(update_fields=["approved_at", "approved_by_id", "approved_by_text"])
        timeline.record(
            locked, "campaign.approved", actor=actor, at=now, data={"message": message.position}
        )
        _send(locked, message, actor=actor, now=now)


def _send(campaign: Campaign, message: CampaignMessage, *, actor, now: datetime) -> int:
    """In the caller's transaction, with the campaign locked: one outbox row per SMS."""
    # Plain tuples, not model instances: a campaign may have 10,000 recipients, and
    # this runs inside the transaction the confirming person waits for.
    recipients = list(
        campaign.recipients.order_by("pk").values_list("pk", "mobile", "name", "bookings")
    )
    total = len(recipients)
    if campaign.is_exercise:
        allowed = exercise_numbers()
        recipients = [r for r in recipients if r[1] in allowed]
    message.campaign = campaign
    group_key = campaign.group_key
    outbox.enqueue(
        outbox.NewMessage(
            channel="sms",
            recipient=mobile,
            recipient_name=name,
            body=render(message.template, campaign, bookings),
            idempotency_key=message.outbox_key(pk),
            priority=Priority.BULK,
            group_key=group_key,
        )
        for pk, mobile, name, bookings in recipients
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
        # Sent again counts toward the sender's daily cap like the first time.
        check_limits(locked, len(failed), message.confirmed_by_id, now)
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
