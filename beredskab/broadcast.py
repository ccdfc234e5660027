"""Send a message to the staff of chosen departments, or a press text to the media.

One service function each, in one transaction: the row, its outbox messages and its
timeline event. Sending happens after commit, through the outbox.

Both reach outside the portal in the municipality's name, so (the authority issue):
the views ask for re-authentication (beredskab.reauth) before calling these; each has
a daily cap per sender and in all (settings, checked here, where the row is written);
a press text goes only to active addresses on the media list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from beredskab import once, timeline
from beredskab.actors import actor_text
from beredskab.cpr import mask_cpr
from beredskab.models import Broadcast, Department, MediaOutlet, Person, PressText
from beredskab.models.outbox import Priority
from beredskab.notify import outbox
from beredskab.notify.people import to_person
from beredskab.roles import Role

EXERCISE_PREFIX = "ØVELSE: "
# "Per day" is any 24 hours: a calendar day would allow twice the cap around midnight.
CAP_WINDOW = timedelta(hours=24)


class BroadcastError(Exception):
    """Refused; the text is for people."""


class OverCap(BroadcastError):
    pass


@dataclass(frozen=True)
class Allowance:
    """How many were sent in the last 24 hours, by this sender and in all."""

    mine: int
    limit: int
    total: int
    total_limit: int

    @property
    def left(self) -> int:
        return max(0, min(self.limit - self.mine, self.total_limit - self.total))


def _user_id(actor) -> int | None:
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def broadcast_allowance(actor, now: datetime | None = None) -> Allowance:
    since = (now or timezone.now()) - CAP_WINDOW
    recent = Broadcast.objects.filter(created_at__gt=since)
    return Allowance(
        mine=recent.filter(created_by_id=_user_id(actor)).count() if _user_id(actor) else 0,
        limit=settings.BROADCAST_MAX_PER_DAY,
        total=recent.count(),
        total_limit=settings.BROADCAST_MAX_PER_DAY_TOTAL,
    )


def press_allowance(actor, now: datetime | None = None) -> Allowance:
    since = (now or timezone.now()) - CAP_WINDOW
    recent = PressText.objects.filter(sent_at__gt=since)
    return Allowance(
        mine=recent.filter(sent_by_id=_user_id(actor)).count() if _user_id(actor) else 0,
        limit=settings.PRESS_MAX_PER_DAY,
        total=recent.count(),
        total_limit=settings.PRESS_MAX_PER_DAY_TOTAL,
    )


def _serialise_sender(actor) -> None:
    """Lock the sender's login row for the rest of the transaction, so two tabs of one
    sender cannot both pass the cap check before either row is written."""
    if _user_id(actor):
        list(get_user_model().objects.select_for_update().filter(pk=actor.pk).values("pk"))


def _check_cap(allowance: Allowance, *, mine: str, total: str) -> None:
    """Refuse with `mine` or `total` (texts with %(count)d and %(limit)d) when over."""
    if allowance.mine >= allowance.limit:
        raise OverCap(mine % {"count": allowance.mine, "limit": allowance.limit})
    if allowance.total >= allowance.total_limit:
        raise OverCap(total % {"count": allowance.total, "limit": allowance.total_limit})


def check_broadcast_cap(actor) -> None:
    _check_cap(
        broadcast_allowance(actor),
        mine=gettext(
            "You have sent %(count)d messages to departments in the last 24 hours; the "
            "limit is %(limit)d per person. Ask a colleague or the systemkoordinator."
        ),
        total=gettext(
            "%(count)d messages to departments have been sent in the last 24 hours; the "
            "limit for the whole portal is %(limit)d. Ask the systemkoordinator."
        ),
    )


def check_press_cap(actor) -> None:
    _check_cap(
        press_allowance(actor),
        mine=gettext(
            "You have sent %(count)d press texts in the last 24 hours; the limit is "
            "%(limit)d per person. Ask a colleague or the systemkoordinator."
        ),
        total=gettext(
            "%(count)d press texts have been sent in the last 24 hours; the limit for "
            "the whole portal is %(limit)d. Ask the systemkoordinator."
        ),
    )


def department_ids(departments, include_subunits: bool) -> set[int]:
    """The chosen departments, and (optionally) every unit under them."""
    ids = {d.pk for d in departments}
    return Department.subtree_ids(ids) if include_subunits else ids


def department_staff(departments, include_subunits: bool = True, excluded_roles=()):
    """The active staff of the departments, less anyone holding an excluded role."""
    staff = (
        Person.objects.active()
        .internal()
        .filter(department_id__in=department_ids(departments, include_subunits))
    )
    if excluded_roles:
        staff = staff.exclude(roles__name__in=list(excluded_roles))
    return staff.order_by("name")


@dataclass
class Reach:
    people: int
    sms: int
    emails: int


def reach(
    departments, include_subunits: bool, by_sms: bool, by_email: bool, excluded_roles=()
) -> Reach:
    staff = list(
        department_staff(departments, include_subunits, excluded_roles).only("mobile", "email")
    )
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
    excluded_roles=(),
) -> Broadcast:
    """Create the broadcast and one outbox row per message. Sent once per nonce."""
    if not (by_sms or by_email):
        raise BroadcastError(gettext("Choose SMS, e-mail or both."))
    subject, body = mask_cpr(subject.strip()), mask_cpr(body.strip())
    prefix = EXERCISE_PREFIX if is_exercise else ""
    excluded_roles = sorted({str(Role(role)) for role in excluded_roles})

    def create() -> Broadcast:
        _serialise_sender(actor)
        # A double click that waited on the lock finds the first click's row here,
        # before the cap could count that row against it.
        found = once.existing(Broadcast, nonce)
        if found is not None:
            return found
        check_broadcast_cap(actor)
        broadcast = Broadcast.objects.create(
            created_by_id=_user_id(actor),
            include_subunits=include_subunits,
            excluded_roles=excluded_roles,
            by_sms=by_sms,
            by_email=by_email,
            subject=subject[:200],
            body=body,
            context_key=context_key,
            is_exercise=is_exercise,
            nonce=nonce,
            created_by_text=actor_text(actor),
        )
        broadcast.departments.set(departments)
        staff = list(department_staff(departments, include_subunits, excluded_roles))
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
        data = {
            "departments": sorted(d.name for d in departments),
            "people": len(staff),
            "messages": len(messages),
            "context": context_key,
        }
        if excluded_roles:
            data["excluded"] = excluded_roles
        timeline.record(
            broadcast,
            "broadcast.sent_excluding" if excluded_roles else "broadcast.sent",
            actor=actor,
            data=data,
        )
        return broadcast

    return once.once_per_nonce(Broadcast, nonce, create)


def write_press_text(
    *, title: str, body: str, outlets, is_exercise: bool, actor, context_key: str = ""
) -> PressText:
    """Save a press text draft; CPR numbers are masked like in every other free text."""
    with transaction.atomic():
        press = PressText.objects.create(
            title=mask_cpr(title.strip())[:200],
            body=mask_cpr(body.strip()),
            is_exercise=is_exercise,
            context_key=context_key[:60],
            created_by_text=actor_text(actor),
        )
        press.outlets.set(outlets)
        timeline.record(
            press, "press.written", actor=actor, data={"outlets": sorted(o.name for o in outlets)}
        )
    return press


def send_press_text(press: PressText, *, actor) -> PressText:
    """E-mail the press text to its outlets on the media list, once."""
    with transaction.atomic():
        _serialise_sender(actor)
        press = PressText.objects.select_for_update().get(pk=press.pk)
        if press.sent_at is not None:
            raise BroadcastError(gettext("The press text has already been sent."))
        # Only addresses on the media list as it is now: an outlet made inactive after
        # the draft was written gets nothing.
        outlets = list(MediaOutlet.objects.active().filter(press_texts=press).order_by("email"))
        addresses = [o.email for o in outlets]
        if not addresses:
            raise BroadcastError(
                gettext("The press text has no recipients: choose outlets from the media list.")
            )
        check_press_cap(actor)
        # Masked again: a draft saved before masking covered press texts is masked here.
        title, body = mask_cpr(press.title), mask_cpr(press.body)
        prefix = EXERCISE_PREFIX if press.is_exercise else ""
        outbox.enqueue(
            outbox.NewMessage(
                channel="email",
                recipient=address,
                subject=f"{prefix}{title}"[:200],
                body=body,
                idempotency_key=f"{press.group_key}:to:{address.lower()}",
                priority=Priority.BULK,
                group_key=press.group_key,
            )
            for address in addresses
        )
        press.title, press.body = title, body
        press.sent_at = timezone.now()
        press.sent_by_id = _user_id(actor)
        press.sent_to = "\n".join(addresses)
        press.save(update_fields=["title", "body", "sent_at", "sent_by", "sent_to"])
        timeline.record(
            press,
            "press.sent",
            actor=actor,
            data={"recipients": len(addresses), "outlets": [o.name for o in outlets]},
        )
    return press
