"""Which provider takes a message, and what happens to a send whose outcome is unknown.

send() is the one point where the send path (delivery.py) picks a provider: the first
allowed provider that is healthy, or an unhealthy one whose test is due (that message
is the test). When none of two can take it, the message waits (released without
counting an attempt) and the banner says so: nothing is lost, nothing is sent blindly.
A portal with one provider keeps sending to it (its retries and attempt limit apply).

An unknown send is reconciled at the provider that had it (lookup()), never resent
blindly. An escalation message that cannot be reconciled within
SMS_FAILOVER_UNKNOWN_AFTER_SECONDS goes through another provider, marked "may be a
duplicate" (fail_over_unknown()); bulk messages wait for reconciliation.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from beredskab.models.outbox import OutboxMessage, Priority, Status
from beredskab.notify import outbox, providers
from beredskab.notify.providers import health
from beredskab.notify.sms import SendResult, SmsError

log = logging.getLogger(__name__)

NO_PROVIDER = "no-provider"


def candidates(msg: OutboxMessage) -> list[str]:
    names = providers.allowed(msg.priority)
    if msg.maybe_duplicate and msg.provider:
        # Its first send's outcome is unknown there: not that one again.
        names = [name for name in names if name != msg.provider]
    return names


def choose(msg: OutboxMessage, now: datetime | None = None) -> tuple[str, bool] | None:
    """(provider, is_test) for `msg`, or None when no allowed provider can take it."""
    names = candidates(msg)
    rows = health.states(names)
    for name in names:
        row = rows.get(name)
        if row is None or row.state == health.HealthState.HEALTHY:
            return name, False
        # A message that already failed there does not test it again: it would wait
        # for its outcome a second time.
        if msg.provider != name and health.take_probe(name, now):
            return name, True
    if len(names) == 1:
        # No other provider to wait for: today's behaviour, its own retries and limit.
        return names[0], True
    return None


def send(msg: OutboxMessage, token: str, status_callback: str | None) -> SendResult:
    """Send `msg` (claimed under `token`) through the provider chosen for it, and keep
    its health. Raises SmsError like a sender does."""
    picked = choose(msg)
    if picked is None:
        # Like a rate limit: released without counting an attempt, tried again shortly.
        raise SmsError("no SMS provider can take this message", code=NO_PROVIDER, rate_limited=True)
    name, testing = picked
    # Stored before the call: an unknown outcome is looked up at this provider.
    OutboxMessage.objects.filter(pk=msg.pk, status=Status.CLAIMED, lease_token=token).update(
        provider=name
    )
    msg.provider = name
    try:
        result = providers.get(name).send(
            msg.recipient, msg.body, reference=str(msg.pk), status_callback=status_callback
        )
    except SmsError as exc:
        if health.counts_as_failure(exc):
            others = [n for n in candidates(msg) if n != name]
            health.failure(name, exc, fallback=", ".join(others))
        raise
    if testing:
        health.success(name)
    return result


def lookup(msg: OutboxMessage) -> SendResult | None:
    """Look an unknown send up where it went (the primary for rows from before providers
    were recorded). Raises SmsError (or a transport error) when it cannot tell."""
    name = msg.provider or providers.primary()
    return providers.get(name).lookup(
        msg.recipient, msg.body, since=msg.send_started_at - timedelta(minutes=1)
    )


def fail_over_unknown(msg: OutboxMessage, now: datetime) -> bool:
    """An escalation message still unknown after the set time: send it elsewhere, marked
    "may be a duplicate". True when it was moved on."""
    if msg.priority != Priority.ESCALATION or msg.send_started_at is None:
        return False
    waited = timedelta(seconds=settings.SMS_FAILOVER_UNKNOWN_AFTER_SECONDS)
    if now - msg.send_started_at < waited:
        return False
    if not [name for name in providers.allowed(msg.priority) if name != msg.provider]:
        return False
    moved = OutboxMessage.objects.filter(pk=msg.pk, status=Status.UNKNOWN).update(
        status=Status.PENDING, send_started_at=None, maybe_duplicate=True, updated_at=now
    )
    if moved:
        log.warning(
            "outbox #%s: unknown at %s, sent elsewhere (may be a duplicate)", msg.pk, msg.provider
        )
    return bool(moved)


def adopt(
    pk: int,
    provider_id: str,
    provider_word: str,
    now: datetime | None = None,
    *,
    body: str | None = None,
) -> bool:
    """An unknown send found at its provider (a lookup, or a delivery report naming our
    reference): record the provider's id and status instead of sending it again."""
    now = now or timezone.now()
    msg = OutboxMessage.objects.filter(pk=pk).first()
    if msg is None:
        return False
    unknown = OutboxMessage.objects.filter(pk=pk, status=Status.UNKNOWN)
    # Through the outbox's one acceptance, so the outcome is on the record once.
    return outbox.accept(unknown, msg, provider_id, provider_word, now=now, body=body)
