"""Status transitions, the moment of awareness and the taskforce decision."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from beredskab import timeline
from beredskab.cpr import mask_cpr
from beredskab.escalation import subjects
from incidents.models import Answer, Incident, IncidentStatus
from incidents.services import IncidentError


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


def transition(
    incident: Incident, to: str, *, actor, reason: str, now: datetime | None = None
) -> Incident:
    """Move the incident along the state machine, with who, when and why on the timeline."""
    now = now or timezone.now()
    if not reason.strip():
        raise IncidentError("a reason is required")
    with transaction.atomic():
        incident = _locked(incident)
        if not incident.can_move_to(to):
            raise IncidentError(f"cannot move from {incident.status} to {to}")
        before = incident.status
        incident.status = to
        incident.save(update_fields=["status"])
        timeline.record(
            incident,
            "incident.status_changed",
            actor=actor,
            at=now,
            data={
                "from": str(IncidentStatus(before).label),
                "to": str(IncidentStatus(to).label),
                "from_status": before,
                "to_status": to,
                "reason": mask_cpr(reason),
            },
        )
        if to == IncidentStatus.CLOSED:
            # The subject owns its run: a closed incident sends nothing more. Reopening
            # does not restart old steps (a new run is started from the incident page).
            subjects.end_for(incident, actor=actor, reason=mask_cpr(reason), now=now)
    return incident


def set_awareness(
    incident: Incident, aware_at: datetime, *, actor, reason: str, now: datetime | None = None
) -> Incident:
    """Move the moment of awareness the 72-hour clock counts from (art. 33(1)). It starts
    at the reporter's discovery time, else the report time; a person moves it with a
    reason, never past the report (the municipality knew by then at the latest)."""
    now = now or timezone.now()
    if aware_at > now:
        raise IncidentError("awareness cannot be in the future")
    if not reason.strip():
        raise IncidentError("a reason is required")
    with transaction.atomic():
        incident = _locked(incident)
        if aware_at > incident.reported_at:
            raise IncidentError("awareness cannot be after the report")
        before = incident.aware_at
        incident.aware_at = aware_at
        # Thresholds are counted again from the new moment; the outbox's keys make
        # sure a reminder already sent for a threshold is not sent a second time.
        incident.reminders_sent = 0
        incident.save(update_fields=["aware_at", "reminders_sent"])
        timeline.record(
            incident,
            "incident.awareness_changed",
            actor=actor,
            at=now,
            data={
                "from": timezone.localtime(before).strftime("%Y-%m-%d %H:%M"),
                "to": timezone.localtime(aware_at).strftime("%Y-%m-%d %H:%M"),
                "reason": mask_cpr(reason),
            },
        )
    return incident


def decide_taskforce(
    incident: Incident,
    *,
    taskforce: str,
    members: str,
    reason: str,
    actor,
    now: datetime | None = None,
) -> Incident:
    now = now or timezone.now()
    if taskforce not in (Answer.YES, Answer.NO):
        raise IncidentError("decide yes or no")
    if not reason.strip():
        raise IncidentError("a reason is required")
    with transaction.atomic():
        incident = _locked(incident)
        incident.taskforce = taskforce
        incident.taskforce_members = mask_cpr(members) if taskforce == Answer.YES else ""
        incident.taskforce_reason = mask_cpr(reason)
        incident.save(update_fields=["taskforce", "taskforce_members", "taskforce_reason"])
        timeline.record(
            incident,
            "incident.taskforce",
            actor=actor,
            at=now,
            data={
                "taskforce": str(Answer(taskforce).label),
                "members": incident.taskforce_members,
                "reason": incident.taskforce_reason,
            },
        )
    return incident
