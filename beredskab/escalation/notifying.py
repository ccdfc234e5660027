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

# The actor of what time does (reminders, timeouts, the alarm), on the timeline.
CLOCK = "Eskaleringens ur"


def _token_lifetime() -> timedelta:
    return timedelta(hours=getattr(settings, "ACK_TOKEN_HOURS", 72))


def notify_people(
    step: RunStep,
    people: list[tuple[Person, Person | None]],
    *,
    kind: str,
    now: datetime,
    positions: dict[int, list[str]] | None = None,
) -> None:
    """Record each (person, whom they stand in for) on the step with a new
    acknowledgement token, and write their messages to the outbox.

    One step's people cost a fixed number of queries whatever their number: who is on
    the step already, one INSERT of the new recipients, one of the tokens, and one
    outbox enqueue for all the messages."""
    if not people:
        return
    once: dict[int, tuple[Person, Person | None]] = {}
    for person, absent in people:
        once.setdefault(person.pk, (person, absent))  # each once, the first mention wins
    people = list(once.values())
    run = step.run
    recipients = {
        r.person_id: r
        for r in RunRecipient.objects.filter(step=step, person__in=[p for p, _ in people])
    }
    new = [
        RunRecipient(
            step=step,
            person=person,
            notified_at=now,
            as_deputy_for=absent,
            positions=(positions or {}).get(person.pk, []),
        )
        for person, absent in people
        if person.pk not in recipients
    ]
    # Their pks come back from the INSERT (PostgreSQL, SQLite 3.35+).
    recipients.update({r.person_id: r for r in RunRecipient.objects.bulk_create(new)})
    tokens = {person.pk: secrets.token_urlsafe(16) for person, _ in people}  # 22 characters
    expires = now + _token_lifetime()
    AckToken.objects.bulk_create(
        AckToken(recipient=recipients[pk], token_hash=AckToken.hash(token), expires_at=expires)
        for pk, token in tokens.items()
    )
    batch: list = []
    for person, absent in people:
        token = tokens[person.pk]
        if kind == "remind":
            sms = messages.remind_sms(run, step, token)
        elif kind == "deputy" and absent is not None:
            sms = messages.deputy_sms(run, step, token, absent.name)
        else:
            sms = messages.notify_sms(run, step, token)
        batch += to_person(
            person,
            key=f"run:{run.pk}:step:{step.position}:person:{person.pk}:{kind}",
            sms=sms if step.by_sms else None,
            subject=messages.email_subject(run, kind),
            email=messages.email_body(run, step, sms) if step.by_email else None,
            group_key=run.group_key,
            run_step_id=step.pk,
        )
    outbox.enqueue(batch)


def alert_unacknowledged(run: EscalationRun, now: datetime) -> None:
    """Every step ended without an acknowledgement: tell the systemkoordinator and IT.
    The caller holds the run's lock."""
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
    run.move(
        RunStatus.UNACKNOWLEDGED,
        kind="run.unacknowledged",
        now=now,
        actor=CLOCK,
        why="no step was acknowledged",
        data={"alerted": len(new)},
    )


def escalate_to_last_step(
    run: EscalationRun, *, key: str, sms: str, subject: str, now: datetime, why: str
) -> list[str]:
    """Tell the people of the run's last step (the chain's management step), once per
    `key`: the subject's deadline hook (the 72-hour clock, for instance). Nothing once
    the run has ended. Returns the names told."""
    from beredskab.escalation.audience import resolve_step_recipients

    run = EscalationRun.objects.lock(run.pk)
    if run.has_ended:
        return []
    last = run.steps.order_by("-position").first()
    if last is None:
        return []
    people, _positions = resolve_step_recipients(last, now)
    batch = []
    for person, _absent in people:
        batch += to_person(
            person,
            key=f"run:{run.pk}:{key}:person:{person.pk}",
            sms=sms,
            subject=subject,
            email=sms,
            group_key=run.group_key,
        )
    outbox.enqueue(batch)
    names = [person.name for person, _absent in people]
    timeline.record(
        run,
        "run.deadline_escalated",
        actor=CLOCK,
        at=now,
        data={"step": last.name, "to": names, "why": why},
    )
    return names
