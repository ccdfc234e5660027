"""Retention: an incident keeps its personal data INCIDENT_RETENTION_YEARS (5) years
after it was closed; then its personal fields are purged and its statistics kept.

Kept (statistics): reference, kind, status, severity, department, the systems, the
times (reported, aware, clock, decided, notified), the yes/no answers, the decision,
the ENISA scores and the receipt numbers. Purged: every free text, who reported and
who decided, the attachments (files and rows), the letters and their address list,
who looked (the view log), the content of the incident's timeline events and of its
escalation run's (tombstones with their digests: the chains still verify), and the
texts and numbers of the outbox messages its escalation sent to staff.

The closing time is read from the timeline (the last change to "closed"); a reopened
incident is not closed, so it is never due.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from beredskab import timeline
from beredskab.escalation import subjects
from beredskab.models import EscalationRun, TimelineEvent
from beredskab.notify import outbox
from incidents.models import DpcAdjustment, Incident, IncidentPurge, IncidentStatus
from incidents.services import letters

# The incident's own free-text and person fields; a new personal field belongs here.
PERSONAL_TEXT_FIELDS = (
    "description",
    "reporter_text",
    "decision_rationale",
    "decided_by_text",
    "taskforce_members",
    "taskforce_reason",
    "data_categories",
    "subject_categories",
    "consequences",
    "measures",
    "delay_reason",
)
PERSONAL_RELATED = {
    # related name: {field: value it becomes}
    "assessments": {"reasoning": "", "assessed_by": None, "assessed_by_text": ""},
    "notifications": {"note": "", "recorded_by": None, "recorded_by_text": ""},
    "advice": {"reasoning": "", "recorded_by": None, "recorded_by_text": ""},
}


def years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February in a year without one
        return moment.replace(year=moment.year - years, day=28)


def with_closed_at(incidents):
    """Annotate each incident with when it was last closed (from its timeline)."""
    closes = TimelineEvent.objects.filter(
        subject_type="incidents.incident",
        subject_id=Cast(OuterRef("pk"), CharField()),
        kind="incident.status_changed",
        data__to_status=IncidentStatus.CLOSED,
    ).order_by("-seq")
    return incidents.annotate(closed_at=Subquery(closes.values("at")[:1]))


def due(now: datetime):
    """Closed incidents, not purged yet, closed at least the retention period ago."""
    cutoff = years_before(now, settings.INCIDENT_RETENTION_YEARS)
    closed = Incident.objects.filter(status=IncidentStatus.CLOSED, purge__isnull=True)
    return with_closed_at(closed).filter(closed_at__lte=cutoff)


def purge(incident: Incident, *, now: datetime | None = None) -> bool:
    """Purge one incident's personal data if it is (still) due. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        # Lock first, then ask whether it is due: a second purge waiting on the lock
        # then sees the first one's IncidentPurge row and does nothing.
        Incident.objects.select_for_update().filter(pk=incident.pk).exists()
        locked = due(now).filter(pk=incident.pk).first()
        if locked is None:
            return False
        for name in PERSONAL_TEXT_FIELDS:
            setattr(locked, name, "")
        locked.reporter = None
        locked.save(update_fields=[*PERSONAL_TEXT_FIELDS, "reporter"])
        for related, values in PERSONAL_RELATED.items():
            getattr(locked, related).update(**values)
        # The reasons given for each DPC adjustment (ENISA's context) are free text too.
        DpcAdjustment.objects.filter(assessment__incident=locked).update(reason="")
        attachments = list(locked.attachments.all())
        for attachment in attachments:
            attachment.delete()
        letter_recipients = letters.purge(locked)
        views = locked.views.all().delete()[0]
        events = timeline.purge_content(locked, now=now)
        # The 72-hour reminders to staff (incidents/services/clock.py).
        outbox.purge_group(f"incident:{locked.pk}")
        # Every run the incident owned (a reopened incident may have had more than one):
        # their timelines, their messages and the reason each was ended with.
        runs = EscalationRun.objects.for_subject(*subjects.subject_key(locked))
        if locked.run_id is not None:
            runs = runs | EscalationRun.objects.filter(pk=locked.run_id)
        for run in runs.distinct():
            events += timeline.purge_content(run, now=now)
            outbox.purge_group(run.group_key)
        runs.update(close_reason="")
        IncidentPurge.objects.create(
            incident=locked,
            closed_at=locked.closed_at,
            purged_at=now,
            retention_years=settings.INCIDENT_RETENTION_YEARS,
        )
        timeline.record(
            locked,
            "incident.purged",
            at=now,
            data={
                "years": settings.INCIDENT_RETENTION_YEARS,
                "events": events,
                "attachments": len(attachments),
                "letter_recipients": letter_recipients,
                "views": views,
            },
        )
        # Files go only when the rows are gone for good.
        files = [a.file for a in attachments]
        transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])
    return True


def purge_due(now: datetime | None = None) -> int:
    """Every incident due, each in its own transaction (safe to run twice at once)."""
    now = now or timezone.now()
    return sum(purge(incident, now=now) for incident in due(now).only("pk"))
