"""Send a message to the staff of chosen departments, or a press text to the media.

One service function each, in one transaction: the row, its outbox messages and its
timeline event. Sending happens after commit, through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from beredskab import timeline
from beredskab.cpr import mask_cpr
from beredskab.models import Broadcast, Department, Person, PressText
from beredskab.models.outbox import Priority
from beredskab.notify import outbox
from beredskab.notify.people import to_person

EXERCISE_PREFIX = "ØVELSE: "


class BroadcastError(Exception):
    pass


def department_ids(departments, include_subunits: bool) -> set[int]:
    """The chosen departments, and (optionally) every unit under them."""
    ids = {d.pk for d in departments}
    if not include_subunits:
        return ids
    parents = dict(Department.objects.values_list("pk", "parent_id"))
    for pk in list(parents):
        node, seen = parents.get(pk), set()
        while node is not None and node not in seen:
            if node in ids:
                ids.add(pk)
                break
            seen.add(node)
            node = parents.get(node)
    return ids


def department_staff(departments, include_subunits: bool = True):
    return (
        Person.objects.active()
        .internal()
        .filter(department_id__in=department_ids(departments, include_subunits))
        .order_by("name")
    )


@dataclass
class Reach:
    people: int
    sms: int
    emails: int


def reach(departments, include_subunits: bool, by_sms: bool, by_email: bool) -> Reach:
    staff = list(department_staff(departments, include_subunits).only("mobile", "email"))
    return Reach(
        people=len(staff),
        sms=sum(1 for p in staff if by_sms and p.mobile),
        emails=sum(1 for p in staff if by_email and p.email),
    )


def send_broadcast(
    *,
    departments,
    include_subunits: bool,
    by_sms: bool,
    by_email: bool,
    subject: str,
    body: str,
    actor,
    nonce: str,
    context_key: str = "",
    is_exercise: bool = False,
) -> Broadcast:
    """Create the broadcast and one outbox row per message. Sent once per nonce."""
    if not (by_sms or by_email):
        raise BroadcastError("choose SMS, e-mail or both")
    existing = Broadcast.objects.filter(nonce=nonce).first()
    if existing is not None:
        return existing
    subject, body = mask_cpr(subject.strip()), mask_cpr(body.strip())
    prefix = EXERCISE_PREFIX if is_exercise else ""
    try:
        with transaction.atomic():
            broadcast = Broadcast.objects.create(
                include_subunits=include_subunits,
                by_sms=by_sms,
                by_email=by_email,
                subject=subject[:200],
                body=body,
                context_key=context_key,
                is_exercise=is_exercise,
                nonce=nonce,
                created_by_text=_actor_text(actor),
            )
            broadcast.departments.set(departments)
            staff = list(department_staff(departments, include_subunits))
            messages = []
            for person in staff:
                messages += to_person(
                    person,
                    key=f"{broadcast.group_key}:person:{person.pk}",
                    sms=f"{prefix}{subject}: {body}" if by_sms else None,
                    subject=f"{prefix}{subject}",
                    email=body if by_email else None,
                    priority=Priority.BULK,
                    group_key=broadcast.group_key,
                )
            outbox.enqueue(messages)
            broadcast.recipient_count = len(staff)
            broadcast.save(update_fields=["recipient_count"])
            timeline.record(
                broadcast,
                "broadcast.sent",
                actor=actor,
                data={
                    "departments": sorted(d.name for d in departments),
                    "people": len(staff),
                    "messages": len(messages),
                    "context": context_key,
                },
            )
    except IntegrityError:
        # Two tabs raced on the same nonce: the other one sent it.
        return Broadcast.objects.get(nonce=nonce)
    return broadcast


def send_press_text(press: PressText, *, actor) -> PressText:
    """E-mail the press text to its media addresses, once."""
    with transaction.atomic():
        press = PressText.objects.select_for_update().get(pk=press.pk)
        if press.sent_at is not None:
            raise BroadcastError("the press text has already been sent")
        addresses = press.recipient_list()
        if not addresses:
            raise BroadcastError("the press text has no recipients")
        prefix = EXERCISE_PREFIX if press.is_exercise else ""
        outbox.enqueue(
            outbox.NewMessage(
                channel="email",
                recipient=address,
                subject=f"{prefix}{press.title}"[:200],
                body=press.body,
                idempotency_key=f"{press.group_key}:to:{address.lower()}",
                priority=Priority.BULK,
                group_key=press.group_key,
            )
            for address in addresses
        )
        press.sent_at = timezone.now()
        press.save(update_fields=["sent_at"])
        timeline.record(press, "press.sent", actor=actor, data={"recipients": len(addresses)})
    return press


def _actor_text(actor) -> str:
    person = getattr(actor, "person", None) if actor is not None else None
    return str(person or actor or "")[:200]
