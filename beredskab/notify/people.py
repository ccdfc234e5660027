"""Messages to a person: an SMS to their mobile and/or an e-mail to their address,
with idempotency keys derived from one base key. Every feature that tells a person
something builds its outbox rows here."""

from __future__ import annotations

from beredskab.models import Person
from beredskab.models.outbox import Priority
from beredskab.notify.outbox import NewMessage


def to_person(
    person: Person,
    *,
    key: str,
    sms: str | None = None,
    subject: str = "",
    email: str | None = None,
    group_key: str = "",
    priority: str = Priority.ESCALATION,
    run_step_id: int | None = None,
) -> list[NewMessage]:
    """The SMS (if `sms` is given and the person has a mobile) and the e-mail (if `email`
    is given and they have an address). Keys: f"{key}:sms" and f"{key}:email"."""
    common = {
        "recipient_name": person.name,
        "person_id": person.pk,
        "group_key": group_key,
        "priority": priority,
        "run_step_id": run_step_id,
    }
    out = []
    if sms is not None and person.mobile:
        out.append(
            NewMessage(
                channel="sms",
                recipient=str(person.mobile),
                body=sms,
                idempotency_key=f"{key}:sms",
                **common,
            )
        )
    if email is not None and person.email:
        out.append(
            NewMessage(
                channel="email",
                recipient=person.email,
                subject=subject[:200],
                body=email,
                idempotency_key=f"{key}:email",
                **common,
            )
        )
    return out
