"""Start, acknowledge, time out, resolve and cancel escalation runs.

Every transition locks the rows it changes, writes its timeline event and its outbox
rows in one transaction, and checks its starting state (a repeat is a no-op), so the
periodic tick is idempotent and safe to run twice at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from beredskab import timeline
from beredskab.actors import actor_text
from beredskab.escalation.notifying import alert_unacknowledged, notify_people
from beredskab.models import (
    AckToken,
    EscalationChain,
    EscalationRun,
    Person,
    RunStatus,
    RunStep,
    StepStatus,
)
from beredskab.models.directory import reachable_deputies, stand_ins
from beredskab.models.escalation import LIVE_STEP_STATUSES
from beredskab.models.outbox import OutboxMessage
from beredskab.notify import outbox


class EscalationError(Exception):
    """A transition that is not allowed from the current state."""


# --- starting ----------------------------------------------------------------------


def start_run(
    chain: EscalationChain,
    *,
    title: str,
    summary: str = "",
    reporter: Person | None = None,
    actor=None,
    is_exercise: bool = False,
    include_external: bool = True,
    is_test: bool = False,
    now: datetime | None = None,
) -> EscalationRun:
    """Snapshot the chain's steps and start the first one, in the caller's transaction."""
    now = now or timezone.now()
    steps = list(chain.steps.prefetch_related("notify_roles", "notify_people").order_by("position"))
    if not steps:
        raise EscalationError("the chain has no steps")
    with transaction.atomic():
        run = EscalationRun.objects.create(
            chain=chain,
            chain_name=chain.name,
            event_kind=chain.event_kind,
            title=title[:150],
            summary=summary[:300],
            reporter=reporter,
            is_exercise=is_exercise or is_test,
            include_external=include_external,
            is_test=is_test,
            started_at=now,
            started_by_text=actor_text(actor),
        )
        for step in steps:
            RunStep.objects.create(
                run=run,
                position=step.position,
                name=step.name,
                role_names=sorted(r.name for r in step.notify_roles.all()),
                person_ids=sorted(p.pk for p in step.notify_people.all()),
                notify_nearest_leader=step.notify_nearest_leader,
                by_sms=step.by_sms,
                by_email=step.by_email,
                is_external=step.is_external,
                ack_timeout_minutes=step.ack_timeout_minutes,
                checklist=step.checklist_items(),
            )
        timeline.record(
            run,
            "run.started",
            actor=actor,
            at=now,
            data={
                "chain": chain.name,
                "exercise": run.is_exercise,
                "test": is_test,
                "steps": len(steps),
            },
        )
        _advance(run, after_position=None, now=now, actor=actor)
    return run


def resolve_step_recipients(step: RunStep, at: datetime) -> list[tuple[Person, Person | None]]:
    """(person to notify, the absent person they stand in for) for a snapshotted step."""
    wanted: list[Person] = list(
        Person.objects.active().filter(roles__name__in=step.role_names).distinct()
    )
    wanted += list(Person.objects.filter(pk__in=step.person_ids))
    if step.notify_nearest_leader and step.run.reporter_id:
        leader = step.run.reporter.nearest_leader(at)
        if leader is not None:
            wanted.append(leader)
    return [
        (stand_in, None if stand_in.pk == person.pk else person)
        for stand_in, person in stand_ins(wanted, at)
    ]


def _advance(run: EscalationRun, *, after_position: int | None, now: datetime, actor=None) -> None:
    """Start the next step after `after_position`, skipping what cannot run."""
    queryset = run.steps.filter(status=StepStatus.WAITING).order_by("position")
    if after_position is not None:
        queryset = queryset.filter(position__gt=after_position)
    for step in queryset:
        if step.is_external and run.is_exercise and not run.include_external:
            step.status = StepStatus.SKIPPED
            step.save(update_fields=["status"])
            timeline.record(
                run, "step.skipped", at=now, data={"step": step.name, "why": "external"}
            )
            continue
        recipients = resolve_step_recipients(step, now)
        if not recipients:
            step.status = StepStatus.TIMED_OUT
            step.started_at = now
            step.save(update_fields=["status", "started_at"])
            timeline.record(run, "step.nobody", at=now, data={"step": step.name})
            continue
        step.status = StepStatus.NOTIFIED
        step.started_at = now
        step.deadline = now + timedelta(minutes=step.ack_timeout_minutes)
        step.save(update_fields=["status", "started_at", "deadline"])
        notify_people(step, recipients, kind="notify", now=now)
        timeline.record(
            run,
            "step.started",
            actor=actor,
            at=now,
            data={"step": step.name, "recipients": [p.name for p, _ in recipients]},
        )
        return
    if run.steps.filter(status=StepStatus.ACKNOWLEDGED).exists():
        run.status = RunStatus.ACKNOWLEDGED
        run.save(update_fields=["status"])
        timeline.record(run, "run.acknowledged", at=now)
    else:
        alert_unacknowledged(run, now)


# --- acknowledging -------------------------------------------------------------------


@dataclass
class AckResult:
    acknowledged: bool
    step: RunStep
    by_text: str = ""


def acknowledge(step: RunStep, *, by: Person, via: str = "portal", now=None) -> AckResult:
    """Acknowledge `step` for everyone on it; cancel its unsent messages; move on."""
    now = now or timezone.now()
    with transaction.atomic():
        step = RunStep.objects.select_for_update().select_related("run").get(pk=step.pk)
        run = EscalationRun.objects.select_for_update().get(pk=step.run_id)
        if step.status not in LIVE_STEP_STATUSES or not run.is_open:
            who = step.acknowledged_by.name if step.acknowledged_by_id else ""
            return AckResult(False, step, who)
        step.status = StepStatus.ACKNOWLEDGED
        step.acknowledged_at = now
        step.acknowledged_by = by
        step.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
        cancelled = outbox.cancel(OutboxMessage.objects.filter(run_step=step))
        timeline.record(
            run,
            "step.acknowledged",
            actor=by.user if by.user_id else by.name,
            at=now,
            data={"step": step.name, "via": via, "cancelled_messages": cancelled},
        )
        if run.status == RunStatus.UNACKNOWLEDGED:
            run.status = RunStatus.ACTIVE
            run.save(update_fields=["status"])
        _advance(run, after_position=step.position, now=now)
    return AckResult(True, step, by.name)


def acknowledge_with_token(token: str, now=None) -> AckResult | None:
    """The link's POST. None if the token is unknown, used or expired."""
    now = now or timezone.now()
    with transaction.atomic():
        ack = (
            AckToken.objects.select_for_update()
            .select_related("recipient__step__run", "recipient__person")
            .filter(token_hash=AckToken.hash(token))
            .first()
        )
        if ack is None or ack.used_at is not None or ack.expires_at <= now:
            return None
        ack.used_at = now
        ack.save(update_fields=["used_at"])
        return acknowledge(ack.recipient.step, by=ack.recipient.person, via="link", now=now)


def find_token(token: str, now=None) -> AckToken | None:
    """For the link's GET: a valid, unused token (looked up by hash), or None."""
    now = now or timezone.now()
    if not token or len(token) > 32:
        return None
    return (
        AckToken.objects.select_related("recipient__step__run", "recipient__person")
        .filter(token_hash=AckToken.hash(token), used_at__isnull=True, expires_at__gt=now)
        .first()
    )


# --- time ----------------------------------------------------------------------------


def tick(now: datetime | None = None) -> dict[str, int]:
    """Drive every live step whose deadline has passed. Idempotent; safe in parallel."""
    now = now or timezone.now()
    counts = {"reminded": 0, "timed_out": 0}
    due_ids = list(
        RunStep.objects.filter(
            status__in=LIVE_STEP_STATUSES, deadline__lte=now, run__status=RunStatus.ACTIVE
        ).values_list("pk", flat=True)[:500]
    )
    for pk in due_ids:
        with transaction.atomic():
            step = (
                RunStep.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status__in=LIVE_STEP_STATUSES, deadline__lte=now)
                .first()
            )
            if step is None:  # another tick has it, or it moved on meanwhile
                continue
            run = EscalationRun.objects.select_for_update().get(pk=step.run_id)
            if run.status != RunStatus.ACTIVE:
                continue
            if step.status == StepStatus.NOTIFIED:
                _remind(step, now)
                counts["reminded"] += 1
            else:
                step.status = StepStatus.TIMED_OUT
                step.save(update_fields=["status"])
                outbox.cancel(OutboxMessage.objects.filter(run_step=step))
                timeline.record(run, "step.timed_out", at=now, data={"step": step.name})
                _advance(run, after_position=step.position, now=now)
                counts["timed_out"] += 1
    return counts


def _remind(step: RunStep, now: datetime) -> None:
    """First timeout: remind the step's people once and notify their deputies."""
    originals = [
        recipient.person
        for recipient in step.recipients.filter(as_deputy_for__isnull=True).select_related("person")
    ]
    notify_people(step, [(person, None) for person in originals], kind="remind", now=now)
    # Their deputies too, unless unreachable themselves or already on the step.
    on_step = set(step.recipients.values_list("person_id", flat=True))
    deputies = reachable_deputies(originals, now, exclude=on_step)
    notify_people(step, deputies, kind="deputy", now=now)
    deputy_names = [deputy.name for deputy, _ in deputies]
    step.status = StepStatus.REMINDED
    step.reminded_at = now
    step.deadline = now + timedelta(minutes=step.ack_timeout_minutes)
    step.save(update_fields=["status", "reminded_at", "deadline"])
    timeline.record(
        step.run, "step.reminded", at=now, data={"step": step.name, "deputies": deputy_names}
    )


# --- closing -------------------------------------------------------------------------


def close(run: EscalationRun, *, status: str, actor, reason: str, now=None) -> EscalationRun:
    """Resolve or cancel a run: every message not yet sent is cancelled."""
    if status not in {RunStatus.RESOLVED, RunStatus.CANCELLED}:
        raise EscalationError(f"cannot close a run as {status}")
    if not reason.strip():
        raise EscalationError("a reason is required")
    now = now or timezone.now()
    with transaction.atomic():
        run = EscalationRun.objects.select_for_update().get(pk=run.pk)
        if run.status in {RunStatus.RESOLVED, RunStatus.CANCELLED}:
            raise EscalationError("the run is already closed")
        run.status = status
        run.closed_at = now
        run.close_reason = reason
        run.save(update_fields=["status", "closed_at", "close_reason"])
        run.steps.filter(status__in=LIVE_STEP_STATUSES | {StepStatus.WAITING}).update(
            status=StepStatus.CANCELLED
        )
        cancelled = outbox.cancel(OutboxMessage.objects.filter(group_key=run.group_key))
        timeline.record(
            run,
            f"run.{status}",
            actor=actor,
            at=now,
            data={"reason": reason, "cancelled_messages": cancelled},
        )
    return run


__all__ = [
    "AckResult",
    "EscalationError",
    "acknowledge",
    "acknowledge_with_token",
    "close",
    "find_token",
    "start_run",
    "tick",
]
