"""Start, time out, remind and end escalation runs.

Every change goes through the transition methods of EscalationRun and RunStep (the
tables in beredskab.models.escalation_states), takes its locks in the one order (the
run, then the step, then the recipient: beredskab.escalation.locking), and writes its
timeline event and its outbox rows in the same transaction. A step that has moved on
is not moved again, so the periodic tick is idempotent and safe to run twice at once.
Acknowledging lives in beredskab.escalation.acknowledging.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from beredskab import timeline
from beredskab.actors import actor_text
from beredskab.escalation.audience import resolve_step_recipients
from beredskab.escalation.locking import atomic_with_retry
from beredskab.escalation.notifying import CLOCK, alert_unacknowledged, notify_people
from beredskab.models import (
    EscalationChain,
    EscalationError,
    EscalationRun,
    Person,
    RunStatus,
    RunStep,
    StepStatus,
)
from beredskab.models.directory import reachable_deputies
from beredskab.models.escalation_states import LIVE_STEP_STATUSES
from beredskab.models.outbox import OutboxMessage
from beredskab.notify import outbox

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
    subject: tuple[str, str] = ("", ""),
    now: datetime | None = None,
) -> EscalationRun:
    """Snapshot the chain's steps and start the first one, in the caller's transaction.
    Subjects start theirs through beredskab.escalation.subjects.start_for."""
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
            subject_type=subject[0],
            subject_id=str(subject[1]),
        )
        RunStep.objects.bulk_create(
            RunStep(
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
                completion=step.completion,
                positions=list(step.positions),
            )
            for step in steps
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
        run = EscalationRun.objects.lock(run.pk)
        advance(run, after_position=None, now=now, actor=actor)
    return run


def advance(run: EscalationRun, *, after_position: int | None, now: datetime, actor=None) -> None:
    """Start the next step after `after_position`, skipping what cannot run. The run
    is locked by the caller; each step is locked after it."""
    queryset = run.steps.filter(status=StepStatus.WAITING).order_by("position")
    if after_position is not None:
        queryset = queryset.filter(position__gt=after_position)
    for pk in queryset.values_list("pk", flat=True):
        step = RunStep.objects.lock(pk, run)
        if step.is_external and run.is_exercise and not run.include_external:
            step.move(StepStatus.SKIPPED, run, kind="step.skipped", now=now, why="external")
            continue
        recipients, positions = resolve_step_recipients(step, now)
        if not recipients:
            step.move(
                StepStatus.TIMED_OUT,
                run,
                kind="step.nobody",
                now=now,
                why="nobody can be reached",
                started_at=now,
            )
            continue
        filled = set().union(*map(set, positions.values()))
        step.move(
            StepStatus.NOTIFIED,
            run,
            kind="step.started",
            now=now,
            actor=actor,
            why="the step before it ended" if after_position else "the escalation started",
            data={
                "recipients": [p.name for p, _ in recipients],
                "unfilled": [key for key in step.positions if key not in filled],
            },
            started_at=now,
            deadline=now + timedelta(minutes=step.ack_timeout_minutes),
        )
        notify_people(step, recipients, kind="notify", now=now, positions=positions)
        return
    if run.steps.filter(status=StepStatus.ACKNOWLEDGED).exists():
        run.move(
            RunStatus.ACKNOWLEDGED,
            kind="run.acknowledged",
            now=now,
            actor=actor or CLOCK,
            why="no steps left",
        )
    else:
        alert_unacknowledged(run, now)


# --- time ----------------------------------------------------------------------------


def tick(now: datetime | None = None) -> dict[str, int]:
    """Drive every live step whose deadline has passed. Idempotent; safe in parallel.
    A run whose subject has closed is ended here rather than driven (the subject's
    own close normally ends it first; this is the check that nothing slips through)."""
    from beredskab.escalation import subjects

    now = now or timezone.now()
    counts = {"reminded": 0, "timed_out": 0, "ended": 0}
    due = list(
        RunStep.objects.filter(
            status__in=LIVE_STEP_STATUSES, deadline__lte=now, run__status=RunStatus.ACTIVE
        ).values_list("pk", "run_id")[:500]
    )
    for pk, run_id in due:
        outcome = atomic_with_retry(lambda pk=pk, run_id=run_id: _tick_step(pk, run_id, now))
        if outcome:
            counts[outcome] += 1
    counts["ended"] += subjects.end_runs_of_closed_subjects(now)
    return counts


def _tick_step(pk: int, run_id: int, now: datetime) -> str:
    from beredskab.escalation import subjects

    run = EscalationRun.objects.lock(run_id)
    if run.status != RunStatus.ACTIVE:
        return ""
    if subjects.subject_has_closed(run):
        subjects.end_run(run, actor=CLOCK, reason=subjects.CLOSED_REASON, now=now)
        return "ended"
    step = RunStep.objects.lock(pk, run)
    if step.status not in LIVE_STEP_STATUSES or step.deadline is None or step.deadline > now:
        return ""  # acknowledged, or driven by another tick, meanwhile
    if step.status == StepStatus.NOTIFIED:
        _remind(run, step, now)
        return "reminded"
    cancelled = outbox.cancel(OutboxMessage.objects.filter(run_step=step))
    step.move(
        StepStatus.TIMED_OUT,
        run,
        kind="step.timed_out",
        now=now,
        actor=CLOCK,
        why="not acknowledged after the reminder",
        data={"cancelled_messages": cancelled},
    )
    advance(run, after_position=step.position, now=now, actor=CLOCK)
    return "timed_out"


def _remind(run: EscalationRun, step: RunStep, now: datetime) -> None:
    """First timeout: remind the step's people who have not acknowledged, once, and
    notify their deputies (who fill the same positions)."""
    waiting = list(
        step.recipients.filter(as_deputy_for__isnull=True, acknowledged_at__isnull=True)
        .select_related("person")
        .order_by("pk")
    )
    originals = [recipient.person for recipient in waiting]
    notify_people(step, [(person, None) for person in originals], kind="remind", now=now)
    on_step = set(step.recipients.values_list("person_id", flat=True))
    deputies = reachable_deputies(originals, now, exclude=on_step)
    positions = {
        deputy.pk: next(r.positions for r in waiting if r.person_id == absent.pk)
        for deputy, absent in deputies
    }
    notify_people(step, deputies, kind="deputy", now=now, positions=positions)
    step.move(
        StepStatus.REMINDED,
        run,
        kind="step.reminded",
        now=now,
        actor=CLOCK,
        why="not acknowledged in time",
        data={"deputies": [deputy.name for deputy, _ in deputies]},
        reminded_at=now,
        deadline=now + timedelta(minutes=step.ack_timeout_minutes),
    )


# --- closing -------------------------------------------------------------------------


def close(run: EscalationRun, *, status: str, actor, reason: str, now=None) -> EscalationRun:
    """Resolve or cancel a run by hand: every message not yet sent is cancelled."""
    from beredskab.escalation import subjects

    if status not in {RunStatus.RESOLVED, RunStatus.CANCELLED}:
        raise EscalationError(f"cannot close a run as {status}")
    if not reason.strip():
        raise EscalationError("a reason is required")
    now = now or timezone.now()

    def _close() -> EscalationRun:
        locked = EscalationRun.objects.lock(run.pk)
        if locked.has_ended:
            raise EscalationError("the run is already closed")
        subjects.end_run(
            locked, actor=actor, reason=reason, now=now, status=status, kind=f"run.{status}"
        )
        return locked

    return atomic_with_retry(_close)


# The acknowledgement paths, here too for the callers that know the engine as one module.
from beredskab.escalation.acknowledging import (  # noqa: E402
    AckResult,
    acknowledge,
    acknowledge_with_token,
    find_token,
)

__all__ = [
    "AckResult",
    "EscalationError",
    "acknowledge",
    "acknowledge_with_token",
    "find_token",
    "advance",
    "close",
    "start_run",
    "tick",
]
