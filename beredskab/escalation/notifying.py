"""The messages an escalation sends: to a step's people, reminders, deputies, and the
alarm when nobody acknowledged. Outbox rows only; nothing here talks to the network."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings

from beredskab import timeline
from beredskab.escalation import messages
from beredskab.models import AckToken, EscalationRun, Person, RunRecipient, RunStatus, RunStep
from beredskab.notify import outbox
from beredskab.notify.people import to_person
from beredskab.roles import Role


def _token_lifetime() -> timedelta:
    return timedelta(hours=getattr(settings, "ACK_TOKEN_HOURS", 72))


def _new_token(recipient: RunRecipient, now: datetime) -> str:
    token = secrets.token_urlsafe(16)  # 22 characters
    AckToken.objects.create(
        recipient=recipient, token_hash=AckToken.hash(token), expires_at=now + _token_lifetime()
    )
    return token


def notify_person(
    step: RunStep,
    person: Person,
    *,
    kind: str,
    now: datetime,
    as_deputy_for: Person | None = None,
    into: list | None = None,
) -> None:
    """Record `person` on the step with a new acknowledgement token and write their
    messages to the outbox, or add them to `into` for the caller to enqueue together
    (one INSERT and one hand-over for a whole step instead of one per person)."""
    run = step.run
    recipient, _ = RunRecipient.objects.get_or_create(
        step=step, person=person, defaults={"notified_at": now, "as_deputy_for": as_deputy_for}
    )
    token = _new_token(recipient, now)
    if kind == "remind":
        sms = messages.remind_sms(run, step, token)
    elif kind == "deputy" and as_deputy_for is not None:
        sms = messages.deputy_sms(run, step, token, as_deputy_for.name)
    else:
        sms = messages.notify_sms(run, step, token)
    new = to_person(
        person,
        key=f"run:{run.pk}:step:{step.position}:person:{person.pk}:{kind}",
        sms=sms if step.by_sms else None,
        subject=messages.email_subject(run, kind),
        email=messages.email_body(run, step, sms) if step.by_email else None,
        group_key=run.group_key,
        run_step_id=step.pk,
    )
    if into is None:
        outbox.enqueue(new)
    else:
        into.extend(new)


def alert_unacknowledged(run: EscalationRun, now: datetime) -> None:
    run.status = RunStatus.UNACKNOWLEDGED
    run.save(update_fields=["status"])
    alerted = (
        Person.objects.active().filter(roles__name__in=[Role.SYSTEMKOORDINATOR, Role.IT]).distinct()
    )
    new = []
    for person in alerted:
        stand_in = person.stand_in(now) or person
        sms = messages.unacknowledged_sms(run)
        new += to_person(
            stand_in,
            key=f"run:{run.pk}:unacknowledged:person:{stand_in.pk}",
            sms=sms,
            subject=messages.email_subject(run, "unacknowledged"),
            email=messages.email_body(run, None, sms),
            group_key=run.group_key,
        )
    outbox.enqueue(new)
    timeline.record(run, "run.unacknowledged", at=now, data={"alerted": len(new)})
