"""Declaring a power outage: the playbook becomes a live checklist and the power-outage
chain starts, whose first step (the beredskabsgruppe) gets the meeting point by SMS."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from beredskab import timeline
from beredskab.access import person_of
from beredskab.actors import actor_text
from beredskab.cpr import mask_cpr
from beredskab.escalation import subjects
from beredskab.models import EventKind, Person, RunRecipient
from beredskab.once import once_per_nonce
from beredskab.roles import Role
from outages.models import Playbook, PlaybookItem, PowerOutage, RunItem


def power_playbook() -> Playbook | None:
    return Playbook.objects.filter(event_kind=EventKind.POWER_OUTAGE).order_by("pk").first()


def declare(
    user,
    *,
    title: str,
    meeting_point: str,
    instructions: str = "",
    nonce: str = "",
    now: datetime | None = None,
) -> PowerOutage:
    """Create the outage, snapshot the playbook, start the chain. Idempotent per nonce."""
    now = now or timezone.now()
    return once_per_nonce(
        PowerOutage,
        nonce,
        lambda: _declare(user, title, meeting_point, instructions, nonce, now),
    )


def _declare(
    user, title: str, meeting_point: str, instructions: str, nonce: str, now: datetime
) -> PowerOutage:
    playbook = power_playbook()
    with transaction.atomic():
        outage = PowerOutage.objects.create(
            title=mask_cpr(title.strip())[:150],
            meeting_point=mask_cpr(meeting_point.strip())[:150],
            instructions=mask_cpr(instructions.strip())[:200],
            declared_at=now,
            declared_by_text=actor_text(user),
            playbook_name=playbook.name if playbook else "",
            nonce=nonce or None,
        )
        items = PlaybookItem.objects.filter(section__playbook=playbook).select_related("section")
        RunItem.objects.bulk_create(
            RunItem(
                outage=outage,
                section=item.section.title,
                position=n,
                text=item.text,
                owner_role=item.owner_role,
            )
            for n, item in enumerate(
                items.order_by("section__position", "section__pk", "position", "pk"), start=1
            )
        )
        timeline.record(
            outage,
            "power.declared",
            actor=user,
            at=now,
            data={"title": outage.title, "meeting_point": outage.meeting_point},
        )
        with translation.override(settings.LANGUAGE_CODE):
            run_title = _("Power outage: %(title)s") % {"title": outage.title}
            summary = _("Meet at %(place)s. %(instructions)s") % {
                "place": outage.meeting_point,
                "instructions": outage.instructions,
            }
        subjects.start_for(
            outage,
            event_kind=EventKind.POWER_OUTAGE,
            title=run_title,
            summary=summary,
            reporter=person_of(user),
            actor=user,
            now=now,
        )
    return outage


def confirmations(outage: PowerOutage) -> list[dict]:
    """Who the first step (the beredskabsgruppe) told, and who has confirmed."""
    if outage.run_id is None:
        return []
    step = outage.run.steps.order_by("position").first()
    if step is None:
        return []
    rows = []
    recipients = RunRecipient.objects.filter(step=step).select_related("person")
    for recipient in recipients.order_by("notified_at", "pk"):
        # Each member's own confirmation (the step may wait for others too).
        rows.append({"person": recipient.person, "confirmed_at": recipient.acknowledged_at})
    return rows


def roster():
    """The beredskabsgruppe: who is in it, with their mobile, for the declarers."""
    return (
        Person.objects.active()
        .with_role(Role.BEREDSKABSGRUPPE)
        .select_related("department")
        .order_by("name")
    )
