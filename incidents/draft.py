"""The Datatilsynet draft: the incident's facts as the notification asks for them."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskab.models import Person
from beredskab.roles import Role
from incidents import recommend
from incidents.models import Incident
from incidents.models.risk import risk_facts_for

# The controller block: (label, setting). Each comes from the environment (.env.example).
CONTROLLER_FIELDS = (
    (_("Data controller"), "CONTROLLER_NAME"),
    (_("CVR number"), "CONTROLLER_CVR"),
    (_("Address"), "CONTROLLER_ADDRESS"),
    (_("Contact person"), "CONTROLLER_CONTACT"),
    (_("Data protection officer (DPO)"), "CONTROLLER_DPO"),
)


def controller_block() -> list[dict]:
    return [
        {"label": label, "setting": name, "value": getattr(settings, name, "")}
        for label, name in CONTROLLER_FIELDS
    ]


def draft_context(incident: Incident) -> dict:
    now = timezone.now()
    clock = incident.clock_view(now)
    dpos = Person.objects.active().with_role(Role.EKSTERN_DPO).order_by("name")
    return {
        "incident": incident,
        "clock": clock,
        "controller": controller_block(),
        "form_url": settings.DATATILSYNET_FORM_URL,
        "risk": risk_facts_for(incident),
        "recommendation": recommend.for_incident(incident),
        "assessment": incident.assessments.first(),
        "systems": list(incident.systems.all()),
        "notifications": list(incident.notifications.all()),
        "dpos": list(dpos),
        # Art. 33(1): a notification after 72 hours gives the reasons for the delay.
        "late": clock["overdue"],
        "generated_at": now,
    }
