"""Send one claimed outbox message through its channel. Runs in a worker."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from beredskab.models.outbox import OutboxMessage, Priority, Status
from beredskab.notify import callbacks, outbox, pacing
from beredskab.notify.providers import routing
from beredskab.notify.sms import SmsError

log = logging.getLogger(__name__)

RATE_LIMIT_BACKOFF = 5.0


def _retry_delay(attempts: int) -> float:
    return min(300.0, 2.0 ** max(attempts, 1))


def status_callback_url(pk: int) -> str | None:
    if settings.SMS_BACKEND != "twilio":
        return None
    return callbacks.status_callback_url(pk)


def deliver(pk: int, token: str | None = None, msg: OutboxMessage | None = None) -> str:
    """Claim (unless the batch already did, with `token`, and maybe read the row as
    `msg`), pace, send, record. Returns what happened (for logs and tests).

    A row read at the batch's claim may be cancelled meanwhile: start_send's
    conditional update is what decides, not the row in hand."""
    if token is None:
        token = outbox.claim(pk)
        if token is None:
            _redispatch_if_early(pk)
            return "not-claimed"
    if msg is None:
        msg = OutboxMessage.objects.get(pk=pk)
    if msg.channel == "sms":
        if not pacing.acquire(
            msg.priority, max_wait=20.0 if msg.priority == Priority.BULK else 30.0
        ):
            outbox.release(pk, token, count_attempt=False)
            _redispatch(msg, 1.0)
            return "paced"
    if not outbox.start_send(pk, token):
        return "cancelled"
    if msg.channel == "email":
        return _send_email(msg, token)
    return _send_sms(msg, token)


def _send_sms(msg: OutboxMessage, token: str) -> str:
    try:
        result = routing.send(msg, token, status_callback_url(msg.pk))
    except SmsError as exc:
        if exc.rate_limited:
            pacing.penalise(RATE_LIMIT_BACKOFF)
            outbox.release(msg.pk, token, delay=RATE_LIMIT_BACKOFF, count_attempt=False)
            _redispatch(msg, RATE_LIMIT_BACKOFF)
            return "rate-limited"
        if exc.ambiguous:
            # Twilio has no idempotency key: sending again could send twice. The
            # sweeper looks the message up first (reconcile) and only then re-sends.
            outbox.record_unknown(msg.pk, token, exc.code, str(exc))
            return "unknown"
        if exc.permanent or msg.attempts >= outbox.MAX_ATTEMPTS:
            outbox.record_failed(msg.pk, token, exc.code, str(exc), body=msg.body, msg=msg)
            return "failed"
        delay = _retry_delay(msg.attempts)
        outbox.release(msg.pk, token, delay=delay)
        _redispatch(msg, delay)
        return "retry"
    outbox.record_accepted(msg.pk, token, result.provider_id, result.status, body=msg.body, msg=msg)
    return "accepted"


def _send_email(msg: OutboxMessage, token: str) -> str:
    try:
        EmailMessage(
            subject=msg.subject,
            body=msg.body,
            to=[msg.recipient],
            headers={"X-Beredskab-Message": msg.idempotency_key},
        ).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - SMTP errors of every kind are retried
        if msg.attempts >= outbox.MAX_ATTEMPTS:
            outbox.record_failed(
                msg.pk, token, "smtp", exc.__class__.__name__, body=msg.body, msg=msg
            )
            return "failed"
        delay = _retry_delay(msg.attempts)
        outbox.release(msg.pk, token, delay=delay)
        _redispatch(msg, delay)
        return "retry"
    # SMTP has no delivery receipts: handed to the mail server is as far as we know.
    outbox.record_accepted(msg.pk, token, f"email-{msg.pk}", "sent", body=msg.body, msg=msg)
    return "accepted"


def _redispatch_if_early(pk: int) -> None:
    """A retry task that arrives a moment before the row's not_before would otherwise
    leave the row to the sweeper: ask again for the rest of the wait."""
    row = (
        OutboxMessage.objects.filter(
            pk=pk, status__in=[Status.PENDING, Status.QUEUED], not_before__gt=timezone.now()
        )
        .only("pk", "priority", "not_before")
        .first()
    )
    if row is not None:
        _redispatch(row, (row.not_before - timezone.now()).total_seconds())


def _redispatch(msg: OutboxMessage, delay: float) -> None:
    """Ask for another try after `delay`; if the broker is down the sweeper does it."""
    from beredskab.notify import tasks

    queue = "bulk" if msg.priority == Priority.BULK else "escalation"
    try:
        tasks.send_message.apply_async(
            args=[msg.pk], queue=queue, countdown=max(delay, 0.0), retry=False
        )
    except Exception as exc:  # noqa: BLE001
        log.warning("re-dispatch failed (%s); the sweeper will retry", exc.__class__.__name__)
