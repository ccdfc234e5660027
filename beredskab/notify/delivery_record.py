"""Delivery on the record: a message to staff has its provider outcome written once
onto a timeline ("SMS til Charlotte Winther (DPO) leveret 07:12").

Each outcome is written in the transaction that moves the message's status, and a
status only ever moves forward, so each outcome is written at most once: a repeated
or out-of-order callback moves nothing and writes nothing.

Messages to citizens (campaigns) have no person: they stay counts on their campaign,
and no citizen's name or number ever reaches a timeline.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskab import timeline
from beredskab.models.outbox import OutboxMessage, Status

# The outcomes that go on the record. "sent" (handed on to the carrier) is a step on
# the way for an SMS; for an e-mail it is all SMTP ever says (handed to the server).
KIND = {
    Status.ACCEPTED: "message.accepted",
    Status.DELIVERED: "message.delivered",
    Status.UNDELIVERED: "message.undelivered",
    Status.FAILED: "message.failed",
}
EMAIL_SENT_KIND = "message.handed_over"

CHANNELS = {"sms": _("SMS"), "email": _("E-mail")}

# What Twilio's error codes mean, for the people reading the record. Other codes
# read as the code with the provider's own words.
REASONS = {
    "21211": _("not a valid phone number (21211)"),
    "21408": _("the region is not enabled (21408)"),
    "21610": _("the recipient has opted out (21610)"),
    "21612": _("the number cannot be reached from the sender (21612)"),
    "21614": _("not a mobile number (21614)"),
    "21617": _("the text is too long (21617)"),
    "30003": _("the phone could not be reached (30003)"),
    "30004": _("the message was blocked (30004)"),
    "30005": _("unknown number or the phone is switched off (30005)"),
    "30006": _("a landline or an unreachable carrier (30006)"),
    "30007": _("filtered by the carrier (30007)"),
    "30008": _("an unknown error at the carrier (30008)"),
}

for _status, _kind in KIND.items():
    timeline.register_kind(
        _kind,
        {
            Status.ACCEPTED: _("%(channel)s to %(to)s handed to the provider %(time)s"),
            Status.DELIVERED: _("%(channel)s to %(to)s delivered %(time)s"),
            Status.UNDELIVERED: _("%(channel)s to %(to)s not delivered %(time)s: %(reason)s"),
            Status.FAILED: _("%(channel)s to %(to)s failed %(time)s: %(reason)s"),
        }[_status],
        labels={"channel": CHANNELS, "reason": REASONS},
    )
timeline.register_kind(
    EMAIL_SENT_KIND,
    _("%(channel)s to %(to)s handed to the mail server %(time)s"),
    labels={"channel": CHANNELS},
)


def timeline_target(message: OutboxMessage) -> models.Model | None:
    """The timeline a message's outcomes go on: its escalation run, or its broadcast.

    The one place that decides it. Only messages to staff (a person of the directory)
    have one; a citizen's message (a campaign) has none."""
    if message.person_id is None or message.purged:
        return None
    kind, _sep, pk = (message.group_key or "").partition(":")
    if not pk.isdigit():
        return None
    if kind == "run":
        from beredskab.models import EscalationRun

        return EscalationRun.objects.filter(pk=int(pk)).first()
    if kind == "broadcast":
        from beredskab.models import Broadcast

        return Broadcast.objects.filter(pk=int(pk)).first()
    return None


@contextmanager
def status_change(message: OutboxMessage) -> Iterator[models.Model | None]:
    """A transaction in which `message`'s status may move, its timeline locked first.

    Lock order: the timeline's subject, then its messages, as the escalation engine
    takes them (it locks the run, then cancels the run's messages); the other order
    could deadlock a callback against an acknowledgement."""
    target = timeline_target(message)
    with transaction.atomic():
        if target is not None:
            manager = target._meta.concrete_model._base_manager
            list(manager.select_for_update().filter(pk=target.pk).values_list("pk"))
        yield target


def note(
    target: models.Model | None,
    message: OutboxMessage,
    status: str,
    *,
    code: str = "",
    text: str = "",
    at: datetime | None = None,
) -> None:
    """Write the line for `message` reaching `status`; call it in status_change(), once
    the conditional update that moved the status has won."""
    if target is None:
        return
    if status == Status.SENT and message.channel == "email":
        kind = EMAIL_SENT_KIND
    elif status in KIND:
        kind = KIND[status]
    else:
        return
    at = at or timezone.now()
    data = {
        "message": message.pk,
        "channel": message.channel,
        "to": recipient_text(message),
        "status": str(status),
        "time": f"{timezone.localtime(at):%H:%M}",
    }
    if status in (Status.UNDELIVERED, Status.FAILED):
        data["error"] = code
        data["reason"] = code if code in REASONS else " ".join(filter(None, [code, text])) or "–"
    timeline.record(target, kind, at=at, data=data)


def recipient_text(message: OutboxMessage) -> str:
    """The recipient as staff know them: "Charlotte Winther (DPO)". Never the number."""
    name = message.recipient_name
    title = ""
    if message.person_id is not None:
        from beredskab.models import Person

        title = Person.objects.filter(pk=message.person_id).values_list("title", flat=True).first()
    return f"{name} ({title})" if title else name
