"""Weekly reminders: once Copenhagen time is past Monday 08:00, each person with
outstanding courses gets ONE e-mail listing them, and each leader a digest about
their departments. Driven by a job every 15 minutes that takes `now`.

Idempotency comes from the outbox: the key names the person and the ISO week, so a
second run in the same week (or two runs at once) sends nothing more, and a run at
11:00 after beat was down at 08:00 still sends. The 08:00 moment is computed in local
time, so it stays 08:00 across a daylight-saving change.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from beredskab.models import Department, Person
from beredskab.models.outbox import OutboxMessage, Priority
from beredskab.notify import outbox
from beredskab.notify.people import to_person
from training.compliance import department_rows
from training.models import Assignment
from training.services.assignments import eligible_people

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
SEND_AT = time(8, 0)


def week_start(now: datetime) -> datetime:
    """This week's Monday 08:00 in Copenhagen, as an aware datetime."""
    local = now.astimezone(COPENHAGEN)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, SEND_AT, tzinfo=COPENHAGEN)


def week_label(now: datetime) -> str:
    year, week, _day = now.astimezone(COPENHAGEN).isocalendar()
    return f"{year}-W{week:02d}"


def reminder_key(person_id: int, now: datetime) -> str:
    return f"training:reminder:{week_label(now)}:person:{person_id}"


def digest_key(person_id: int, now: datetime) -> str:
    return f"training:digest:{week_label(now)}:leader:{person_id}"


def _already_sent(keys: list[str]) -> set[str]:
    wanted = [f"{k}:email" for k in keys]
    found: set[str] = set()
    for start in range(0, len(wanted), outbox.KEY_CHUNK):
        found.update(
            OutboxMessage.objects.filter(
                idempotency_key__in=wanted[start : start + outbox.KEY_CHUNK]
            ).values_list("idempotency_key", flat=True)
        )
    return found


def _reminder_text(person: Person, assignments: list[Assignment]) -> tuple[str, str]:
    link = settings.BASE_URL + reverse("training:index")
    lines = [
        _("- %(title)s, due %(due)s: %(url)s")
        % {"title": a.course.title, "due": a.due_on.strftime("%d.%m.%Y"), "url": a.course.url}
        for a in assignments
    ]
    subject = ngettext(
        "Mandatory security training: %(count)s course to complete",
        "Mandatory security training: %(count)s courses to complete",
        len(assignments),
    ) % {"count": len(assignments)}
    body = "\n".join(
        [
            _("Dear %(name)s,") % {"name": person.name},
            "",
            _("You still have these mandatory security courses to complete:"),
            *lines,
            "",
            _("See your training in the portal: %(link)s") % {"link": link},
            _("You get this reminder every Monday until the courses are done."),
        ]
    )
    return subject, body


def send_weekly_reminders(now: datetime | None = None) -> int:
    """Reminders to people; returns how many e-mails were queued."""
    now = now or timezone.now()
    if now < week_start(now):
        return 0
    outstanding = (
        Assignment.objects.outstanding()
        .filter(person__in=eligible_people(), course__is_active=True)
        .select_related("course", "person")
        .order_by("person_id", "due_on", "course__position")
    )
    by_person: dict[int, list[Assignment]] = {}
    for assignment in outstanding:
        by_person.setdefault(assignment.person_id, []).append(assignment)
    sent = _already_sent([reminder_key(pk, now) for pk in by_person])
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for person_id, assignments in by_person.items():
            key = reminder_key(person_id, now)
            if f"{key}:email" in sent:
                continue
            person = assignments[0].person
            subject, body = _reminder_text(person, assignments)
            messages += to_person(
                person,
                key=key,
                subject=subject,
                email=body,
                group_key=f"training:{week_label(now)}",
                priority=Priority.BULK,
            )
    with transaction.atomic():
        return len(outbox.enqueue(messages))


def _digest_text(leader: Person, rows) -> tuple[str, str]:
    link = settings.BASE_URL + reverse("training:compliance")
    lines = []
    for row in rows:
        lines.append(
            _("%(department)s: %(percent)s%% complete, %(overdue)s overdue")
            % {"department": row.name, "percent": row.percent, "overdue": len(row.overdue)}
        )
        lines += [f"  - {name}" for name in row.overdue]
    subject = _("Security training in your department this week")
    body = "\n".join(
        [
            _("Dear %(name)s,") % {"name": leader.name},
            "",
            _("Mandatory security training in the departments you lead:"),
            *lines,
            "",
            _("See the details in the portal: %(link)s") % {"link": link},
        ]
    )
    return subject, body


def send_leader_digests(now: datetime | None = None) -> int:
    """The weekly digest to each leader about their departments (and their units)."""
    now = now or timezone.now()
    if now < week_start(now):
        return 0
    leaders = list(
        Person.objects.active().filter(leads__isnull=False).distinct().prefetch_related("leads")
    )
    sent = _already_sent([digest_key(p.pk, now) for p in leaders])
    today = timezone.localdate(now)
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for leader in leaders:
            key = digest_key(leader.pk, now)
            if f"{key}:email" in sent:
                continue
            departments = Department.subtree_ids({d.pk for d in leader.leads.all()})
            rows = [r for r in department_rows(departments, today) if r.total]
            if not rows:
                continue
            subject, body = _digest_text(leader, rows)
            messages += to_person(
                leader,
                key=key,
                subject=subject,
                email=body,
                group_key=f"training:{week_label(now)}",
                priority=Priority.BULK,
            )
    with transaction.atomic():
        return len(outbox.enqueue(messages))
