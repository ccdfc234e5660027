"""The Datatilsynet draft: the incident's facts as the notification asks for them."""

from __future__ import annotations

from django.utils import timezone

from beredskab.models import Person
from beredskab.roles import Role
from incidents.models import Incident


def draft_context(incident: Incident) -> dict:
    now = timezone.now()
    clock = incident.clock_view(now)
    dpos = Person.objects.active().with_role(Role.EKSTERN_DPO).order_by("name")
    return {
        "incident": incident,
        "clock": clock,
        "assessment": incident.assessments.first(),
        "systems": list(incident.systems.all()),
        "notifications": list(incident.notifications.all()),
        "dpos": list(dpos),
        # Art. 33(1): a notification after 72 hours gives the reasons for the delay.
        "late": clock["overdue"],
        "generated_at": now,
    }
