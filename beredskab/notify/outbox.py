"""The outbox API: enqueue in the caller's transaction, hand over after commit, claim
with a lease, record the provider's answer, reconcile, cancel and purge.

Nothing here talks to the network inside a transaction. Every state change is a
conditional UPDATE whose row count says whether this caller won the race.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from beredskab.logmask import mask_ack_tokens
from beredskab.models.outbox import (
    FINAL_STATUSES,
    PROGRESS_RANK,
    OutboxMessage,
    Priority,
    Status,
)
from beredskab.notify import delivery_record

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 6
BULK_BATCH = 100
# A pending row younger than this is still being handed over by its request.
HANDOVER_GRACE = timedelta(seconds=5)
# An unknown send is looked up only after the provider has had time to list it.
RECONCILE_AFTER = timedelta(seconds=20)
# A queued row nobody claimed for this long lost its task (e.g. Redis restarted).
QUEUED_STALE = timedelta(minutes=3)
KEY_CHUNK = 900


@dataclass
class NewMessage:
    channel: str
    recipient: str
    body: str
    idempotency_key: str
    priority: str = Priority.ESCALATION
    subject: str = ""
    recipient_name: str = ""
    person_id: int | None = None
    group_key: str = ""
    run_step_id: int | None = None


def enqueue(messages: Iterable[NewMessage]) -> list[int]:
    """Write outbox rows in the caller's transaction; hand them over after commit.

    Idempotent: a key already in the outbox is skipped, so a retried request or a
    double click never creates a second message. That includes a key written at the
    same moment by another transaction and a key repeated within `messages`: the
    INSERT skips conflicts instead of failing the caller's transaction.
    """
    messages = list({m.idempotency_key: m for m in messages}.values())
    if not messages:
        return []
    keys = [m.idempotency_key for m in messages]
    existing: set[str] = set()
    for start in range(0, len(keys), KEY_CHUNK):
        existing.update(
            OutboxMessage.objects.filter(
                idempotency_key__in=keys[start : start + KEY_CHUNK]
            ).values_list("idempotency_key", flat=True)
        )
    rows = [
        OutboxMessage(
            channel=m.channel,
            recipient=m.recipient,
            body=m.body,
            idempotency_key=m.idempotency_key,
            priority=m.priority,
            subject=m.subject[:200],
            recipient_name=m.recipient_name[:150],
            person_id=m.person_id,
            group_key=m.group_key,
            run_step_id=m.run_step_id,
        )
        for m in messages
        if m.idempotency_key not in existing
    ]
    if not rows:
        return []
    # ignore_conflicts: no ids come back, so they are read again by key (in chunks,
    # SQLite limits the number of query parameters).
    OutboxMessage.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    new_keys = [r.idempotency_key for r in rows]
    ids: list[int] = []
    for start in range(0, len(new_keys), KEY_CHUNK):
        ids.extend(
            OutboxMessage.objects.filter(idempotency_key__in=new_keys[start : start + KEY_CHUNK])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    transaction.on_commit(lambda: hand_over(ids))
    return ids


def hand_over(ids: list[int]) -> int:
    """Publish tasks for `ids`, best-effort. Returns how many were handed over.

    If the broker is down this fails fast (no publish retry) and the rows stay
    pending: the sweeper hands them over later.
    """
    from beredskab.notify import tasks

    if not ids:
        return 0
    by_priority = dict(
        OutboxMessage.objects.filter(pk__in=ids, status=Status.PENDING).values_list(
            "pk", "priority"
        )
    )
    escalation = [pk for pk in ids if by_priority.get(pk) == Priority.ESCALATION]
    bulk = [pk for pk in ids if by_priority.get(pk) == Priority.BULK]
    done: list[int] = []
    try:
        for pk in escalation:
            tasks.send_message.apply_async(args=[pk], queue="escalation", retry=False)
            done.append(pk)
        for start in range(0, len(bulk), BULK_BATCH):
            chunk = bulk[start : start + BULK_BATCH]
            tasks.send_batch.apply_async(args=[chunk], queue="bulk", retry=False)
            done.extend(chunk)
    except Exception as exc:  # noqa: BLE001 - the broker being down must not break callers
        log.warning(
            "outbox hand-over stopped (%s: %s); the sweeper will retry",
            exc.__class__.__name__,
            exc,
        )
    if done:
        OutboxMessage.objects.filter(pk__in=done, status=Status.PENDING).update(
            status=Status.QUEUED, updated_at=timezone.now()
        )
    return len(done)


def claim(pk: int, now: datetime | None = None) -> str | None:
    """Take a message for sending. Returns the lease token, or None if someone else has it."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    won = (
        OutboxMessage.objects.filter(pk=pk, status__in=[Status.PENDING, Status.QUEUED])
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .update(
            status=Status.CLAIMED,
            lease_token=token,
            lease_until=now + LEASE,
            send_started_at=None,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )
    return token if won else None


def claim_batch(pks: list[int], now: datetime | None = None) -> tuple[str, list[int]]:
    """Take every row of a bulk batch at once, under one lease token.

    So a worker killed mid-batch leaves claimed rows whose lease runs out (the sweeper
    hands them over again), not queued rows whose task vanished with the worker.
    """
    token, rows = claim_batch_rows(pks, now)
    return token, [row.pk for row in rows]


def claim_batch_rows(
    pks: list[int], now: datetime | None = None, *, resume: str = ""
) -> tuple[str, list[OutboxMessage]]:
    """claim_batch, returning the rows won (in the order of `pks`) as read once after
    the claim: a worker then needs no read of its own per message.

    `resume`: the token of this batch's earlier try, cut off by a database outage;
    its rows not yet started are taken again at once instead of waiting for their
    lease to run out."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    free = Q(status__in=[Status.PENDING, Status.QUEUED])
    if resume:
        free |= Q(status=Status.CLAIMED, lease_token=resume, send_started_at__isnull=True)
    OutboxMessage.objects.filter(free, pk__in=pks).filter(
        Q(not_before__isnull=True) | Q(not_before__lte=now)
    ).update(
        status=Status.CLAIMED,
        lease_token=token,
        lease_until=now + LEASE,
        send_started_at=None,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    won = {row.pk: row for row in OutboxMessage.objects.filter(lease_token=token)}
    return token, [won[pk] for pk in pks if pk in won]


def extend_lease(token: str, now: datetime | None = None) -> int:
    """Keep a batch's rows that are still waiting their turn claimed."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        lease_token=token, status=Status.CLAIMED, send_started_at__isnull=True
    ).update(lease_until=now + LEASE)


def start_send(pk: int, token: str) -> bool:
    """Mark the point of no return just before calling the provider."""
    now = timezone.now()
    return bool(
        OutboxMessage.objects.filter(pk=pk, status=Status.CLAIMED, lease_token=token).update(
            send_started_at=now, lease_until=now + LEASE, updated_at=now
        )
    )


def release(pk: int, token: str, *, delay: float = 0.0, count_attempt: bool = True) -> bool:
    """Give a claimed message back (pacing full, rate limited, transient error)."""
    now = timezone.now()
    return bool(
        OutboxMessage.objects.filter(pk=pk, status=Status.CLAIMED, lease_token=token).update(
            status=Status.PENDING,
            lease_token="",
            lease_until=None,
            send_started_at=None,
            not_before=now + timedelta(seconds=delay) if delay else None,
            attempts=F("attempts") - (0 if count_attempt else 1),
            updated_at=now,
        )
    )


PROVIDER_STATUS = {
    "queued": Status.ACCEPTED,
    "accepted": Status.ACCEPTED,
    "scheduled": Status.ACCEPTED,
    "sending": Status.ACCEPTED,
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "undelivered": Status.UNDELIVERED,
    "failed": Status.FAILED,
}


def status_for_provider(provider_status: str) -> str:
    """Our status for the provider's word at the moment it took the message."""
    return PROVIDER_STATUS.get(provider_status, Status.ACCEPTED)


def sent_body(pk: int, body: str | None = None) -> dict:
    """The body to keep once a message has left: its ack links masked (/a/…/), so the
    outbox table holds no usable token (the token row keeps only its hash).

    Read before the conditional update that marks the row sent: nothing rewrites the
    body of a claimed row meanwhile (purge_group skips claimed rows), and the update
    itself still checks the lease. Unknown sends keep their body: the sweeper may
    look the message up by its text and send it again."""
    if not settings.OUTBOX_REDACT_ACK_LINKS:
        return {}
    if body is None:
        body = OutboxMessage.objects.filter(pk=pk).values_list("body", flat=True).first() or ""
    masked = mask_ack_tokens(body)
    return {"body": masked} if masked != body else {}


def record_accepted(
    pk: int,
    token: str,
    provider_id: str,
    provider_status: str,
    *,
    body: str | None = None,
    msg: OutboxMessage | None = None,
) -> bool:
    """The provider took the message. Its outcome goes on the record (a message to
    staff) in the same transaction, once."""
    now = timezone.now()
    msg = msg or OutboxMessage.objects.get(pk=pk)
    claimed = OutboxMessage.objects.filter(pk=pk, status=Status.CLAIMED, lease_token=token)
    if accept(claimed, msg, provider_id, provider_status, now=now, body=body):
        return True
    # A status callback came first (it finds the row by the portal's own id) and moved
    # the status on, keeping the lease token: record the provider's id, nothing else.
    return bool(
        OutboxMessage.objects.filter(
            pk=pk, lease_token=token, status__in=list(PROGRESS_RANK)
        ).update(
            **sent_body(pk, body),
            provider_id=provider_id[:64],
            lease_token="",
            lease_until=None,
            updated_at=now,
        )
    )


def accept(
    rows, msg: OutboxMessage, provider_id: str, provider_status: str, *, now, body=None
) -> bool:
    """Mark `msg` (still in `rows`, the condition that it is ours to mark) as taken by
    the provider with `provider_status`; on the record once, if this call won."""
    status = status_for_provider(provider_status)
    with delivery_record.status_change(msg) as target:
        won = rows.update(
            **sent_body(msg.pk, body),
            status=status,
            provider_id=provider_id[:64],
            accepted_at=now,
            lease_token="",
            lease_until=None,
            finished_at=now if status in FINAL_STATUSES else None,
            error_code="",
            error="",
            updated_at=now,
        )
        if won:
            delivery_record.note(target, msg, status, at=now)
    return bool(won)


def record_failed(
    pk: int,
    token: str,
    code: str,
    error: str,
    *,
    body: str | None = None,
    msg: OutboxMessage | None = None,
) -> bool:
    now = timezone.now()
    msg = msg or OutboxMessage.objects.get(pk=pk)
    with delivery_record.status_change(msg) as target:
        won = OutboxMessage.objects.filter(pk=pk, status=Status.CLAIMED, lease_token=token).update(
            **sent_body(pk, body),
            status=Status.FAILED,
            error_code=code[:20],
            error=error[:300],
            lease_token="",
            lease_until=None,
            finished_at=now,
            updated_at=now,
        )
        if won:
            delivery_record.note(target, msg, Status.FAILED, code=code, text=error, at=now)
    return bool(won)


def record_unknown(pk: int, token: str, code: str, error: str) -> bool:
    """The provider may or may not have the message (a timeout after sending): the
    sweeper looks it up before anything is sent again."""
    now = timezone.now()
    return bool(
        OutboxMessage.objects.filter(pk=pk, status=Status.CLAIMED, lease_token=token).update(
            status=Status.UNKNOWN,
            error_code=code[:20],
            error=error[:300],
            lease_token="",
            lease_until=None,
            updated_at=now,
        )
    )


def cancel(queryset) -> int:
    """Cancel every message in `queryset` that has not reached the provider."""
    now = timezone.now()
    count = queryset.filter(
        Q(status__in=[Status.PENDING, Status.QUEUED])
        | Q(status=Status.CLAIMED, send_started_at__isnull=True)
    ).update(status=Status.CANCELLED, lease_token="", finished_at=now, updated_at=now)
    if count and settings.OUTBOX_REDACT_ACK_LINKS:
        # A cancelled message is never sent: its ack link has no reason to stay readable.
        # Only escalation messages carry one, so this touches a handful of rows.
        cancelled = queryset.filter(status=Status.CANCELLED, body__contains="/a/")
        for pk, body in cancelled.values_list("pk", "body"):
            masked = mask_ack_tokens(body)
            if masked != body:
                OutboxMessage.objects.filter(pk=pk, status=Status.CANCELLED).update(body=masked)
    return count


def purge_group(group_key: str) -> int:
    """Retention: forget recipients and texts of a campaign or event, keep the counts."""
    if not group_key:
        raise ValueError("purge_group needs a group key")
    return (
        OutboxMessage.objects.for_group(group_key)
        .exclude(status__in=[Status.PENDING, Status.QUEUED, Status.CLAIMED, Status.UNKNOWN])
        .update(recipient="", recipient_name="", body="", subject="", person=None, purged=True)
    )
