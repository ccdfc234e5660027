"""The sweeper: hands over what nobody took, reclaims expired leases, reconciles
sends whose outcome is unknown. Idempotent and safe to run twice at once: every
change is a conditional UPDATE."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db.models import Case, IntegerField, Max, Q, Value, When
from django.utils import timezone

from beredskab.models.outbox import OutboxMessage, Priority, Status
from beredskab.notify import outbox
from beredskab.notify.sms import SmsError, get_backend

log = logging.getLogger(__name__)

BATCH = 5000


def sweep(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"expired": 0, "unknown": 0, "reconciled": 0, "resent": 0, "handed_over": 0}

    # 1. Leases that ran out. Before the provider was called: safe to send again.
    #    After: the send may or may not have happened, so it becomes "unknown".
    expired = OutboxMessage.objects.filter(status=Status.CLAIMED, lease_until__lt=now)
    counts["expired"] = expired.filter(send_started_at__isnull=True).update(
        status=Status.PENDING, lease_token="", lease_until=None, updated_at=now
    )
    counts["unknown"] = expired.filter(send_started_at__isnull=False).update(
        status=Status.UNKNOWN, lease_token="", lease_until=None, updated_at=now
    )

    # 2. Unknown sends: look them up at the provider before anything is re-sent.
    for msg in OutboxMessage.objects.filter(
        status=Status.UNKNOWN, send_started_at__lt=now - outbox.RECONCILE_AFTER
    )[:500]:
        result = reconcile(msg, now)
        counts[result] = counts.get(result, 0) + 1

    # 3. Queued tasks lost with the broker (Redis restarted, a killed worker's reserved
    #    tasks). A queue is first in, first out, so a row queued for long is lost when a
    #    younger row of its priority has already been taken; and when nothing of that
    #    priority moves at all, every long-queued row is. A paced campaign that is still
    #    working through its queue in order is left alone (no re-publishing every sweep).
    stale = now - outbox.QUEUED_STALE
    for priority in (Priority.ESCALATION, Priority.BULK):
        long_queued = OutboxMessage.objects.filter(
            priority=priority, status=Status.QUEUED, updated_at__lt=stale
        )
        taken = OutboxMessage.objects.filter(priority=priority).exclude(
            status__in=[Status.PENDING, Status.QUEUED, Status.CANCELLED]
        )
        moving = taken.filter(Q(status=Status.CLAIMED) | Q(accepted_at__gte=stale)).exists()
        if moving:
            youngest_taken = taken.aggregate(at=Max("created_at"))["at"]
            long_queued = long_queued.filter(created_at__lt=youngest_taken)
        long_queued.update(status=Status.PENDING, updated_at=now)

    # 4. Pending rows whose request did not hand them over (broker down, crash).
    due = list(
        OutboxMessage.objects.filter(
            status=Status.PENDING, created_at__lt=now - outbox.HANDOVER_GRACE
        )
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .order_by(
            # Escalation messages first, so a big campaign never pushes them out of the batch.
            Case(
                When(priority="escalation", then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "created_at",
        )
        .values_list("pk", flat=True)[:BATCH]
    )
    counts["handed_over"] = outbox.hand_over(due)
    return counts


def reconcile(msg: OutboxMessage, now: datetime) -> str:
    """Resolve one unknown send: accepted if the provider has it, else send again."""
    if msg.channel == "sms":
        try:
            found = get_backend().lookup(
                msg.recipient, msg.body, since=msg.send_started_at - timedelta(minutes=1)
            )
        except SmsError as exc:
            log.warning("reconcile of outbox #%s postponed: %s", msg.pk, exc)
            return "postponed"
        except Exception as exc:  # noqa: BLE001 - provider unreachable: try next sweep
            log.warning("reconcile of outbox #%s postponed: %s", msg.pk, exc.__class__.__name__)
            return "postponed"
        if found is not None:
            # The provider's own status, as it stands now.
            unknown = OutboxMessage.objects.filter(pk=msg.pk, status=Status.UNKNOWN)
            outbox.accept(unknown, msg, found.provider_id, found.status, now=now, body=msg.body)
            return "reconciled"
    # Not at the provider (or e-mail, which cannot be looked up): send it again.
    OutboxMessage.objects.filter(pk=msg.pk, status=Status.UNKNOWN).update(
        status=Status.PENDING, send_started_at=None, updated_at=now
    )
    return "resent"
