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
) -> None:
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
    key = f"run:{run.pk}:step:{step.position}:person:{person.pk}:{kind}"
    new = []
    if step.by_sms and person.mobile:
        new.append(
            outbox.NewMessage(
                channel="sms",
                recipient=str(person.mobile),
                recipient_name=person.name,
                person_id=person.pk,
                body=sms,
                idempotency_key=f"{key}:sms",
                group_key=run.group_key,
                run_step_id=step.pk,
            )
        )
    if step.by_email and person.email:
        new.append(
            outbox.NewMessage(
                channel="email",
                recipient=person.email,
                recipient_name=person.name,
                person_id=person.pk,
                subject=messages.email_subject(run, kind),
                body=messages.email_body(run, step, sms),
                idempotency_key=f"{key}:email",
                group_key=run.group_key,
                run_step_id=step.pk,
            )
        )
    outbox.enqueue(new)


def alert_unacknowledged(run: EscalationRun, now: datetime) -> None:
    run.status = RunStatus.UNACKNOWLEDGED
    run.save(update_fields=["status"])
    alerted = (
        Person.objects.active().filter(roles__name__in=[Role.SYSTEMKOORDINATOR, Role.IT]).distinct()
    )
    new = []
    for person in alerted:
        stand_in = person.stand_in(now) or person
        base = f"run:{run.pk}:unacknowledged:person:{stand_in.pk}"
        if stand_in.mobile:
            new.append(
                outbox.NewMessage(
                    channel="sms",
                    recipient=str(stand_in.mobile),
                    recipient_name=stand_in.name,
                    person_id=stand_in.pk,
                    body=messages.unacknowledged_sms(run),
                    idempotency_key=f"{base}:sms",
                    group_key=run.group_key,
                )
            )
        if stand_in.email:
            new.append(
                outbox.NewMessage(
                    channel="email",
                    recipient=stand_in.email,
                    recipient_name=stand_in.name,
                    person_id=stand_in.pk,
                    subject=messages.email_subject(run, "unacknowledged"),
                    body=messages.email_body(run, None, messages.unacknowledged_sms(run)),
                    idempotency_key=f"{base}:email",
                    group_key=run.group_key,
                )
            )
    outbox.enqueue(new)
    timeline.record(run, "run.unacknowledged", at=now, data={"alerted": len(new)})
