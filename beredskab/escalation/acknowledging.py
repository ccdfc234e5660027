"""Acknowledging a step: in the portal, or by the link in the SMS (no login).

Each person's acknowledgement is recorded on their row; the step completes only under
its rule (beredskab.escalation.audience). Locks in the one order: the run, the step,
the recipient, its token. A lock conflict is retried (locking.atomic_with_retry), so
the link never answers 500 because the tick ran at the same moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from beredskab import timeline
from beredskab.escalation.audience import missing_positions
from beredskab.escalation.locking import atomic_with_retry, lock_recipient, lock_step
from beredskab.models import AckToken, Completion, EscalationRun, Person, RunStep, StepStatus
from beredskab.models.chains import position_label
from beredskab.models.outbox import OutboxMessage
from beredskab.notify import outbox


@dataclass
class AckResult:
    acknowledged: bool
    step: RunStep
    by_text: str = ""
    # The step is done (under its rule); else what it still waits for, in words.
    completed: bool = False
    waiting_for: list[str] = field(default_factory=list)
    # The run had ended (its subject closed, or closed by hand): nothing to do.
    ended: bool = False

    @property
    def run(self) -> EscalationRun:
        return self.step.run


def _actor(person: Person):
    return person.user if person.user_id else person.name


def acknowledge(step: RunStep, *, by: Person, via: str = "portal", now=None) -> AckResult:
    """`by` acknowledges `step`: their messages still unsent are cancelled; the step
    completes when its rule is met, and the next one starts."""
    now = now or timezone.now()
    return atomic_with_retry(lambda: _acknowledge(step.pk, by, via, now))


def _acknowledge(step_pk: int, by: Person, via: str, now: datetime, token_hash: str = ""):
    run, step = lock_step(step_pk)
    recipient = lock_recipient(step, by)
    if token_hash:
        token = (
            AckToken.objects.select_for_update(of=("self",))
            .filter(token_hash=token_hash, recipient=recipient)
            .first()
        )
        if token is None or token.used_at is not None or token.expires_at <= now:
            return None
        if not run.has_ended:
            token.used_at = now
            token.save(update_fields=["used_at"])
    if run.has_ended:
        return AckResult(False, step, run.closed_by_text, ended=True)
    if not step.is_live or not run.is_open:
        who = step.acknowledged_by.name if step.acknowledged_by_id else ""
        return AckResult(False, step, who, completed=step.status == StepStatus.ACKNOWLEDGED)
    if recipient is None and step.completion != Completion.ANYONE:
        return AckResult(False, step, "")
    if recipient is not None:
        if recipient.acknowledged_at is not None:
            return AckResult(False, step, by.name)
        recipient.acknowledged_at = now
        recipient.acknowledged_via = via
        recipient.save(update_fields=["acknowledged_at", "acknowledged_via"])
    recipients = list(step.recipients.all())
    missing = missing_positions(step, recipients)
    if missing:
        cancelled = outbox.cancel(OutboxMessage.objects.filter(run_step=step, person=by))
        waiting_for = sorted(position_label(key) for key in missing)
        timeline.record(
            run,
            "step.confirmed",
            actor=_actor(by),
            at=now,
            data={
                "step": step.name,
                "person": by.name,
                "via": via,
                "waiting_for": waiting_for,
                "cancelled_messages": cancelled,
            },
        )
        return AckResult(True, step, by.name, waiting_for=waiting_for)
    cancelled = outbox.cancel(OutboxMessage.objects.filter(run_step=step))
    step.move(
        StepStatus.ACKNOWLEDGED,
        run,
        kind="step.acknowledged",
        now=now,
        actor=_actor(by),
        why=str(Completion(step.completion).label),
        data={"via": via, "cancelled_messages": cancelled},
        acknowledged_at=now,
        acknowledged_by=by,
    )
    from beredskab.escalation.engine import advance

    advance(run, after_position=step.position, now=now)
    return AckResult(True, step, by.name, completed=True)


def acknowledge_with_token(token: str, now=None) -> AckResult | None:
    """The link's POST. None if the token is unknown, used or expired (and its run
    has not ended: then the result says so, for the page that tells the person)."""
    now = now or timezone.now()
    if not token or len(token) > 32:
        return None
    token_hash = AckToken.hash(token)
    # Found without a lock: the locks are taken in the one order inside.
    found = (
        AckToken.objects.filter(token_hash=token_hash)
        .values_list("recipient__step_id", "recipient__person_id")
        .first()
    )
    if found is None:
        return None
    step_pk, person_pk = found
    person = Person.objects.get(pk=person_pk)
    return atomic_with_retry(lambda: _acknowledge(step_pk, person, "link", now, token_hash))


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


def ended_run_for_token(token: str) -> EscalationRun | None:
    """The run of a real token (used or not) if that run has ended: the link then says
    the case is closed, by whom and when, instead of "not valid"."""
    if not token or len(token) > 32:
        return None
    ack = (
        AckToken.objects.select_related("recipient__step__run")
        .filter(token_hash=AckToken.hash(token))
        .first()
    )
    if ack is None or not ack.recipient.step.run.has_ended:
        return None
    return ack.recipient.step.run
