"""The subject owns its run: an incident, a system outage, a power outage (and any
later subject) starts "the escalation for this subject" through start_for(), and ends
it through end_for() in the transaction that closes, restores, dismisses or merges it.

The core knows a subject only by its type and id (as the timeline does) plus the hook
its app registers from AppConfig.ready(): how to tell that it has closed, its words
and its page. The core imports no feature app.

Lock order: the subject (its own transition locks it), then the run, then the step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import models, transaction
from django.utils import timezone

from beredskab import timeline
from beredskab.escalation.notifying import CLOCK
from beredskab.models import (
    EscalationChain,
    EscalationRun,
    Person,
    RunStatus,
    RunStep,
    StepStatus,
)
from beredskab.models.escalation_states import ENDED_RUN_STATUSES, LIVE_STEP_STATUSES
from beredskab.models.outbox import OutboxMessage
from beredskab.notify import outbox
from beredskab.timeline import subject_key

# The reason the tick gives when it finds a run whose subject closed without ending it.
CLOSED_REASON = "Sagen er afsluttet"


@dataclass(frozen=True)
class SubjectHook:
    model: type[models.Model]
    # Prefix of the subject's own timeline kinds: "<prefix>.escalation_started",
    # "<prefix>.no_chain" (the app registers their texts).
    prefix: str
    is_closed: Callable[[models.Model], bool]
    # The subject's foreign key to its current run.
    run_field: str = "run"


_HOOKS: dict[str, SubjectHook] = {}


def register(
    model: type[models.Model],
    *,
    prefix: str,
    is_closed: Callable[[models.Model], bool],
    run_field: str = "run",
) -> None:
    """Called from a feature app's AppConfig.ready()."""
    _HOOKS[model._meta.label_lower] = SubjectHook(model, prefix, is_closed, run_field)


def hook_for(subject_type: str) -> SubjectHook | None:
    return _HOOKS.get(subject_type)


def chain_for(event_kind: str, preferred: EscalationChain | None = None) -> EscalationChain | None:
    """The chain to start: the subject's own choice if it is active, else the oldest
    active chain of the event kind. The one chain lookup every subject uses."""
    if preferred is not None and preferred.is_active:
        return preferred
    return (
        EscalationChain.objects.filter(event_kind=event_kind, is_active=True).order_by("pk").first()
    )


def start_for(
    subject: models.Model,
    *,
    event_kind: str,
    title: str,
    summary: str,
    reporter: Person | None,
    actor,
    now: datetime | None = None,
    chain: EscalationChain | None = None,
    data: dict | None = None,
) -> EscalationRun | None:
    """Start the escalation for `subject`, in the caller's transaction: the chain,
    the run (which knows its subject), the subject's link to it and its timeline
    event. None (and a "no chain" event) when there is no chain with steps."""
    from beredskab.escalation.engine import start_run

    now = now or timezone.now()
    subject_type, subject_id = subject_key(subject)
    hook = hook_for(subject_type)
    if hook is None:
        raise LookupError(f"{subject_type} is not registered as an escalation subject")
    chain = chain_for(event_kind, chain)
    with transaction.atomic():
        if chain is None or not chain.steps.exists():
            timeline.record(subject, f"{hook.prefix}.no_chain", actor=actor, at=now, data=data)
            return None
        run = start_run(
            chain,
            title=title,
            summary=summary,
            reporter=reporter,
            actor=actor,
            subject=(subject_type, subject_id),
            now=now,
        )
        setattr(subject, hook.run_field, run)
        subject.save(update_fields=[hook.run_field])
        timeline.record(
            subject,
            f"{hook.prefix}.escalation_started",
            actor=actor,
            at=now,
            data={"chain": chain.name, "run": run.pk, **(data or {})},
        )
    return run


def end_for(subject: models.Model, *, actor, reason: str, now: datetime | None = None) -> int:
    """The subject closed (restored, dismissed, merged): its runs end now, in the
    caller's transaction, with the reason on each run's timeline. Returns how many."""
    now = now or timezone.now()
    subject_type, subject_id = subject_key(subject)
    ended = 0
    with transaction.atomic():
        pks = EscalationRun.objects.for_subject(subject_type, subject_id).exclude(
            status__in=ENDED_RUN_STATUSES
        )
        for pk in pks.order_by("pk").values_list("pk", flat=True):
            run = EscalationRun.objects.lock(pk)
            if not run.has_ended:
                end_run(run, actor=actor, reason=reason, now=now)
                ended += 1
    return ended


def end_run(
    run: EscalationRun,
    *,
    actor,
    reason: str,
    now: datetime,
    status: str = RunStatus.RESOLVED,
    kind: str = "run.subject_closed",
) -> None:
    """End a locked run: its live and waiting steps are cancelled, every message not
    yet handed to the provider is cancelled, the run records who and why."""
    from beredskab.timeline import _actor_fields

    open_steps = run.steps.filter(status__in=LIVE_STEP_STATUSES | {StepStatus.WAITING})
    for step_pk in open_steps.order_by("position").values_list("pk", flat=True):
        step = RunStep.objects.lock(step_pk, run)
        step.move(
            StepStatus.CANCELLED, run, kind="step.cancelled", now=now, actor=actor, why=reason
        )
    cancelled = outbox.cancel(OutboxMessage.objects.filter(group_key=run.group_key))
    run.move(
        status,
        kind=kind,
        now=now,
        actor=actor,
        why=reason,
        data={"reason": reason, "cancelled_messages": cancelled},
        closed_at=now,
        close_reason=reason,
        closed_by_text=_actor_fields(actor)[1],
    )


def subject_has_closed(run: EscalationRun) -> bool:
    """Whether the run's subject (if it has one) has closed, by its app's hook."""
    hook = hook_for(run.subject_type) if run.subject_type else None
    if hook is None:
        return False
    subject = hook.model._base_manager.filter(pk=run.subject_id).first()
    return subject is None or hook.is_closed(subject)


def end_runs_of_closed_subjects(now: datetime, limit: int = 200) -> int:
    """The tick's sweep: runs still sending whose subject has closed. Nothing should be
    found; a subject closed by a path that forgot end_for() is caught within one tick."""
    ended = 0
    candidates = (
        EscalationRun.objects.filter(status=RunStatus.ACTIVE)
        .exclude(subject_type="")
        .values_list("pk", flat=True)
        .order_by("pk")[:limit]
    )
    for pk in candidates:
        run = EscalationRun.objects.get(pk=pk)
        if not subject_has_closed(run):
            continue
        with transaction.atomic():
            run = EscalationRun.objects.lock(pk)
            if not run.has_ended:
                end_run(run, actor=CLOCK, reason=CLOSED_REASON, now=now)
                ended += 1
    return ended
