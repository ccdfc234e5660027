"""A deputy's acts for an absent systemkoordinator, and telling them on their return."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from beredskab import timeline
from beredskab.models import Person
from beredskab.models.directory import absent_ids
from beredskab.notify import outbox
from beredskab.notify.people import to_person
from incidents.models import Incident, StandInAct

BATCH = 200


def record_act(incident: Incident, act: str, *, actor, absent: Person, at: datetime):
    """Inside the act's own transaction: the row the return job tells about, and the
    timeline line saying who stood in for whom."""
    from incidents.services.gdpr import actor_text

    StandInAct.objects.create(
        incident=incident,
        act=act,
        acted_at=at,
        acted_by=actor,
        acted_by_text=actor_text(actor),
        absent=absent,
        absent_text=absent.name[:200],
    )
    timeline.record(
        incident,
        "incident.stand_in",
        actor=actor,
        at=at,
        data={"act": act, "for": absent.name},
    )


def _texts(incident: Incident, acts: list[StandInAct]) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "reference": incident.reference,
            "who": ", ".join(sorted({a.acted_by_text for a in acts})),
            "what": ", ".join(str(StandInAct.Act(a).label) for a in sorted({a.act for a in acts})),
            "link": settings.BASE_URL + reverse("incidents:detail", args=[incident.pk]),
        }
        # Reference and names only: a message never carries the incident's text.
        sms = (
            _("%(reference)s: while you were away, %(who)s recorded %(what)s for you. %(link)s")
            % values
        )
        subject = _("While you were away: %(reference)s") % values
    return sms, subject


def tell_returned(now: datetime | None = None) -> int:
    """Tell each systemkoordinator who is back what their deputy recorded meanwhile.
    Idempotent: rows are claimed under a lock and marked told in the same transaction,
    and each message's key names the act."""
    now = now or timezone.now()
    waiting = list(
        StandInAct.objects.filter(told_at__isnull=True, absent__isnull=False)
        .order_by("absent_id")
        .values_list("absent_id", flat=True)
        .distinct()[:BATCH]
    )
    away = absent_ids(waiting, now)
    told = 0
    for person in Person.objects.filter(pk__in=set(waiting) - away):
        with transaction.atomic():
            acts = list(
                StandInAct.objects.select_for_update(skip_locked=True)
                .filter(absent=person, told_at__isnull=True)
                .select_related("incident")
                .order_by("incident_id", "pk")
            )
            by_incident: dict[int, list[StandInAct]] = {}
            for act in acts:
                by_incident.setdefault(act.incident_id, []).append(act)
            for group in by_incident.values():
                incident = group[0].incident
                sms, subject = _texts(incident, group)
                outbox.enqueue(
                    to_person(
                        person,
                        key=f"incident:{incident.pk}:stand-in:{group[-1].pk}:person:{person.pk}",
                        sms=sms,
                        subject=subject,
                        email=sms,
                        group_key=f"incident:{incident.pk}",
                    )
                )
                timeline.record(
                    incident,
                    "incident.stand_in_told",
                    at=now,
                    data={"to": person.name, "acts": [a.act for a in group]},
                )
                told += 1
            StandInAct.objects.filter(pk__in=[a.pk for a in acts]).update(told_at=now)
    return told
