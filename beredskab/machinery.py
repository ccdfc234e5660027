"""Is the background machinery alive? An escalation that silently does not go out is
the worst failure this portal can have, so workers (per queue) and beat check in,
and /healthz/full and a banner say when they have gone quiet."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskab.models import Heartbeat, OutboxMessage
from beredskab.models.outbox import Priority, Status

QUEUES = ("escalation", "bulk")
SILENCE = timedelta(minutes=2)
# Workers check in every 5 s from their main process, busy or not (beredskab/worker.py),
# so a few missed check-ins mean the worker is gone, and the banner shows within 30 s.
WORKER_SILENCE = timedelta(seconds=15)
BEAT = "beat"


def worker_name(queue: str) -> str:
    return f"worker:{queue}"


def beat_record(now: datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(
        name=BEAT, defaults={"last_seen": now or timezone.now(), "detail": ""}
    )


def _limit(name: str) -> timedelta:
    return SILENCE if name == BEAT else WORKER_SILENCE


def silent_parts(now: datetime | None = None) -> list[str]:
    """Names of the machinery that has not checked in within its limit."""
    now = now or timezone.now()
    seen = dict(Heartbeat.objects.values_list("name", "last_seen"))
    names = [worker_name(q) for q in QUEUES] + [BEAT]
    return [name for name in names if seen.get(name) is None or now - seen[name] > _limit(name)]


def failures(now: datetime | None = None) -> list[str]:
    """Everything /healthz/full reports as failing, each named."""
    now = now or timezone.now()
    out = [
        f"{name}: silent for more than {int(_limit(name).total_seconds())} seconds"
        for name in silent_parts(now)
    ]
    waiting = [Status.PENDING, Status.QUEUED]
    oldest = OutboxMessage.objects.filter(
        priority=Priority.ESCALATION, status__in=waiting
    ).aggregate(oldest=Min("created_at"))["oldest"]
    if oldest is not None and now - oldest > SILENCE:
        out.append("outbox: an escalation message has waited more than 2 minutes")
    # A campaign that has only just begun has sent nothing yet: that is not silence.
    oldest_bulk = OutboxMessage.objects.filter(
        priority=Priority.BULK, status__in=waiting
    ).aggregate(oldest=Min("created_at"))["oldest"]
    if oldest_bulk is not None and now - oldest_bulk > SILENCE:
        last = OutboxMessage.objects.filter(priority=Priority.BULK).aggregate(
            last=Max("accepted_at")
        )["last"]
        if last is None or now - last > SILENCE:
            out.append("outbox: bulk messages are waiting and none was sent for 2 minutes")
    return out


BANNER_TEXT = _(
    "Notifications are not going out: the background workers or the scheduler are silent. "
    "Call IT, and reach people by phone until this message is gone."
)


def bulk_progress(now: datetime | None = None) -> dict[str, float]:
    """What the bulk queue is doing, for /healthz/full: a busy queue is not an outage."""
    now = now or timezone.now()
    waiting = OutboxMessage.objects.filter(
        priority=Priority.BULK, status__in=[Status.PENDING, Status.QUEUED, Status.CLAIMED]
    ).count()
    sent = OutboxMessage.objects.filter(
        priority=Priority.BULK, accepted_at__gte=now - timedelta(minutes=1)
    ).count()
    return {"waiting": waiting, "sent_per_s": round(sent / 60, 1)}
