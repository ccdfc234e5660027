"""Risk assessments are reviewed on time: a month before a system's review date, its
system owner and its systemkoordinator get an e-mail (through the outbox), once per
review date, and the system's timeline says so."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, override

from beredskab import timeline
from beredskab.models import Person, System
from beredskab.models.outbox import Priority
from beredskab.notify import outbox
from beredskab.notify.people import to_person
from beredskab.roles import Role

# How long before the review date the reminder goes out.
REMIND_BEFORE = timedelta(days=30)

timeline.register_kind(
    "system.review_reminded",
    gettext_lazy("Reminder sent for the risk assessment's review on %(review_on)s to %(to)s"),
)


def recipients(system: System) -> list[Person]:
    """The system owner and the system's systemkoordinator; without a named
    coordinator, every active systemkoordinator (someone must hear of it)."""
    people = [p for p in (system.owner, system.coordinator) if p is not None and p.is_active]
    if system.coordinator is None:
        people += list(Person.objects.active().with_role(Role.SYSTEMKOORDINATOR))
    unique = {p.pk: p for p in people}
    return list(unique.values())


def reminder_text(system: System) -> tuple[str, str]:
    """The e-mail's subject and text, in Danish (the portal's language for messages)."""
    with override(settings.LANGUAGE_CODE):
        review_on = date_format(system.review_on, "DATE_FORMAT")
        subject = gettext("Risk assessment of %(system)s is due for review") % {
            "system": system.name
        }
        body = gettext(
            "The risk assessment of %(system)s is to be reviewed by %(review_on)s. "
            "Check the likelihood and the ratings, update the assessment document and set "
            "the next review date in the portal: %(url)s"
        ) % {
            "system": system.name,
            "review_on": review_on,
            "url": settings.BASE_URL + system.get_absolute_url(),
        }
    return subject, body


def remind_reviews(now: datetime | None = None) -> int:
    """Send the reminders that are due; returns how many systems were reminded of."""
    today = timezone.localdate(now or timezone.now())
    due = System.objects.filter(
        review_on__isnull=False, review_on__gte=today, review_on__lte=today + REMIND_BEFORE
    ).select_related("owner", "coordinator")
    reminded = 0
    for system in due:
        if system.review_reminded_for == system.review_on:
            continue
        with transaction.atomic():
            # The claim: only one run (of two at once) moves the marker on.
            claimed = (
                System.objects.filter(pk=system.pk, review_on=system.review_on)
                .exclude(review_reminded_for=system.review_on)
                .update(review_reminded_for=system.review_on)
            )
            if not claimed:
                continue
            people = recipients(system)
            subject, body = reminder_text(system)
            key = f"risk-review:{system.pk}:{system.review_on.isoformat()}"
            messages = []
            for person in people:
                messages += to_person(
                    person,
                    key=f"{key}:person:{person.pk}",
                    subject=subject,
                    email=body,
                    priority=Priority.BULK,
                    group_key=key,
                )
            outbox.enqueue(messages)
            timeline.record(
                system,
                "system.review_reminded",
                data={
                    "review_on": system.review_on.isoformat(),
                    "to": sorted(p.name for p in people),
                },
            )
            reminded += 1
    return reminded
