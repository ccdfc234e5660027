"""Reminders of the 72-hour deadline at 24, 48 and 66 hours, to the systemkoordinator
and the DPO, through the outbox. Driven by a periodic job that takes `now`."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from beredskab import timeline
from beredskab.models import Person
from beredskab.notify import outbox
from beredskab.notify.people import to_person
from beredskab.roles import Role
from incidents.models import REMINDER_HOURS, Incident

BATCH = 500


def reminder_recipients(now: datetime) -> list[Person]:
    wanted = Person.objects.active().filter(
        roles__name__in=[Role.SYSTEMKOORDINATOR, Role.EKSTERN_DPO]
    )
    out: dict[int, Person] = {}
    for person in wanted.distinct().order_by("name", "pk"):
        stand_in = person.stand_in(now) or person
        out.setdefault(stand_in.pk, stand_in)
    return list(out.values())


def _texts(incident: Incident, hours: int) -> tuple[str, str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        deadline = timezone.localtime(incident.deadline).strftime("%d.%m. %H:%M")
        link = settings.BASE_URL + reverse("incidents:detail", args=[incident.pk])
        values = {
            "hours": hours,
            "reference": incident.reference,
            "deadline": deadline,
            "link": link,
        }
        # Reference and times only: an SMS never carries the incident's text.
        sms = (
            _(
                "%(reference)s: %(hours)s hours since awareness. Notify Datatilsynet by "
                "%(deadline)s or record the decision not to. %(link)s"
            )
            % values
        )
        subject = _("72-hour deadline: %(reference)s, %(hours)s hours gone") % values
    return sms, subject, sms


def send_clock_reminders(now: datetime | None = None) -> int:
    """Send every reminder due at `now`. Idempotent and safe to run twice at once:
    the row is locked, the count of thresholds sent moves forward, and each message has
    an idempotency key per incident, threshold, person and channel."""
    now = now or timezone.now()
    earliest = now - timedelta(hours=REMINDER_HOURS[0])
    due = list(
        Incident.objects.clock_running()
        .filter(aware_at__lte=earliest, reminders_sent__lt=len(REMINDER_HOURS))
        .order_by("aware_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    sent = 0
    recipients = reminder_recipients(now) if due else []
    for pk in due:
        with transaction.atomic():
            incident = (
                Incident.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, clock_stopped_at__isnull=True)
                .first()
            )
            if incident is None:
                continue
            thresholds = incident.due_reminders(now)
            if not thresholds:
                continue
            # After an outage of the job only the latest threshold is worth a message.
            hours = thresholds[-1]
            sms, subject, body = _texts(incident, hours)
            messages = []
            for person in recipients:
                messages += to_person(
                    person,
                    key=f"incident:{incident.pk}:clock:{hours}h:person:{person.pk}",
                    sms=sms,
                    subject=subject,
                    email=body,
                    group_key=f"incident:{incident.pk}",
                )
            outbox.enqueue(messages)
            incident.reminders_sent = REMINDER_HOURS.index(hours) + 1
            incident.save(update_fields=["reminders_sent"])
            timeline.record(
                incident,
                "incident.clock_reminder",
                at=now,
                data={"hours": hours, "to": [p.name for p in recipients]},
            )
            sent += 1
    return sent
