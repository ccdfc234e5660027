"""Reporting and declaring system outages; declaring starts the system-outage chain."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from beredskab import throttle, timeline
from beredskab.access import person_of
from beredskab.actors import actor_text
from beredskab.cpr import mask_cpr
from beredskab.escalation import subjects
from beredskab.models import EventKind, System
from beredskab.once import once_per_nonce
from outages.models import OutageError, SystemOutage


def report(
    user, *, description: str, system: System | None, nonce: str = "", now: datetime | None = None
) -> SystemOutage:
    """Anyone says a system is unavailable. Idempotent per nonce (a double submit)."""
    now = now or timezone.now()
    return once_per_nonce(
        SystemOutage, nonce, lambda: _report(user, description, system, nonce, now)
    )


def _report(user, description: str, system: System | None, nonce: str, now) -> SystemOutage:
    with transaction.atomic():
        outage = SystemOutage.objects.create(
            description=mask_cpr(description.strip()),
            reported_system=system,
            reporter=person_of(user),
            reporter_text=actor_text(user),
            reported_at=now,
            last_update_at=now,
            last_update=_("Reported, awaiting confirmation by IT"),
            nonce=nonce or None,
        )
        timeline.record(
            outage,
            "outage.reported",
            actor=user,
            at=now,
            data={"system": system.name if system else ""},
        )
        # The report is always saved; beyond the reporter's budget (shared with incident
        # reports) it stays off IT's list and cannot be declared, so it starts no
        # escalation, until the systemkoordinator releases it (beredskab.throttle).
        throttle.admit(user, outage, now=now)
    return outage


def release(outage: SystemOutage, *, actor, now: datetime | None = None) -> bool:
    """The systemkoordinator releases a held report: IT sees it and may declare it."""
    return throttle.release(outage, actor=actor, now=now or timezone.now())


def declare(
    outage: SystemOutage,
    systems: list[tuple[System, str]],
    *,
    actor,
    began_at: datetime | None = None,
    now: datetime | None = None,
) -> SystemOutage:
    """Declare the outage and start the system-outage escalation chain, all or nothing."""
    now = now or timezone.now()
    if throttle.is_held(outage):
        raise OutageError("a held report is released before it is declared")
    with transaction.atomic():
        outage.declare(systems, actor=actor, began_at=began_at, now=now)
        names = ", ".join(system.name for system, _impact in systems)
        with translation.override(settings.LANGUAGE_CODE):
            title = _("System outage: %(systems)s") % {"systems": names}
            summary = _("Declared system outage. Details in the portal.")
        subjects.start_for(
            outage,
            event_kind=EventKind.SYSTEM_OUTAGE,
            title=title,
            summary=summary,
            reporter=outage.reporter,
            actor=actor,
            now=now,
        )
    return outage
