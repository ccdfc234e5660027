"""The 72-hour deadline reaches management: after the 66-hour reminder, the incident's
escalation run tells the people of its chain's last (management) step at the deadline
and again when it is well past (DEADLINE_ESCALATION_HOURS), through the core's hook
(beredskab.escalation.notifying.escalate_to_last_step). Nothing once the run has ended.
Driven by the clock's periodic job, which takes `now`."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from beredskab import timeline
from beredskab.escalation.notifying import escalate_to_last_step
from incidents.models import Incident
from incidents.models.incident import DEADLINE_ESCALATION_HOURS

BATCH = 200


def duration_text(delta: timedelta) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    return _("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


def deadline_text(incident: Incident, now: datetime) -> str:
    """Says plainly how long is left, or how far over the deadline it is."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "reference": incident.reference,
            "deadline": timezone.localtime(incident.deadline).strftime("%d.%m. %H:%M"),
            "link": settings.BASE_URL + reverse("incidents:detail", args=[incident.pk]),
            "left": duration_text(incident.deadline - now),
        }
        if incident.deadline > now:
            return (
                _(
                    "%(reference)s: the 72-hour deadline for notifying Datatilsynet runs out "
                    "at %(deadline)s, %(left)s left. Decide now: notify, or record why not. "
                    "%(link)s"
                )
                % values
            )
        return (
            _(
                "%(reference)s: the 72-hour deadline for notifying Datatilsynet ran out at "
                "%(deadline)s, %(left)s ago. Notify now, with the reason for the delay, or "
                "record why not. %(link)s"
            )
            % values
        )


def escalate_deadlines(now: datetime | None = None) -> int:
    """Escalate every incident whose deadline threshold is due at `now`. Idempotent:
    the row is locked, the count moves forward, the outbox keys are per threshold."""
    now = now or timezone.now()
    first = now - timedelta(hours=DEADLINE_ESCALATION_HOURS[0])
    due = list(
        Incident.objects.clock_running()
        .filter(
            run__isnull=False,
            aware_at__lte=first,
            deadline_escalations_sent__lt=len(DEADLINE_ESCALATION_HOURS),
        )
        .order_by("aware_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    sent = 0
    for pk in due:
        with transaction.atomic():
            incident = (
                Incident.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, clock_stopped_at__isnull=True)
                .first()
            )
            if incident is None:
                continue
            hours = incident.elapsed(now).total_seconds() / 3600
            thresholds = [
                h
                for i, h in enumerate(DEADLINE_ESCALATION_HOURS)
                if i >= incident.deadline_escalations_sent and hours >= h
            ]
            if not thresholds:
                continue
            # After an outage of the job only the latest threshold is worth a message.
            threshold = thresholds[-1]
            text = deadline_text(incident, now)
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("72-hour deadline: %(reference)s") % {"reference": incident.reference}
                why = _("The 72-hour deadline of %(reference)s") % {"reference": incident.reference}
            names = escalate_to_last_step(
                incident.run,
                key=f"deadline:{threshold}h",
                sms=text,
                subject=subject,
                now=now,
                why=why,
            )
            incident.deadline_escalations_sent = DEADLINE_ESCALATION_HOURS.index(threshold) + 1
            incident.save(update_fields=["deadline_escalations_sent"])
            timeline.record(
                incident,
                "incident.deadline_escalated",
                at=now,
                data={"hours": threshold, "to": names},
            )
            sent += 1
    return sent
