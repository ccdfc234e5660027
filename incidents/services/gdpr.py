"""The GDPR side: ENISA assessment, the decision, the submissions, the notification facts."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from beredskab import timeline
from beredskab.actors import actor_text
from beredskab.cpr import mask_cpr
from incidents.models import Answer, Assessment, Decision, Incident, Notification, Severity
from incidents.models.gdpr import score, severity_for
from incidents.services import IncidentError

FACT_FIELDS = (
    "personal_data",
    "people_affected",
    "data_categories",
    "subject_categories",
    "records_affected",
    "consequences",
    "measures",
    "delay_reason",
)


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


def assess(
    incident: Incident,
    *,
    data_type: int,
    dpc: Decimal,
    dpc_reason: str,
    ei: Decimal,
    cb_confidentiality: Decimal,
    cb_integrity: Decimal,
    cb_availability: Decimal,
    cb_malicious: Decimal,
    reasoning: str,
    actor,
    now: datetime | None = None,
) -> Assessment:
    """Save ENISA's inputs and reasoning; the incident's severity follows the latest."""
    now = now or timezone.now()
    if not Decimal(1) <= dpc <= Decimal(4):
        raise IncidentError("DPC is between 1 and 4")
    cb = cb_confidentiality + cb_integrity + cb_availability + cb_malicious
    se = score(dpc, ei, cb)
    severity = severity_for(se)
    with transaction.atomic():
        incident = _locked(incident)
        assessment = Assessment.objects.create(
            incident=incident,
            data_type=data_type,
            dpc=dpc,
            dpc_reason=mask_cpr(dpc_reason),
            ei=ei,
            cb_confidentiality=cb_confidentiality,
            cb_integrity=cb_integrity,
            cb_availability=cb_availability,
            cb_malicious=cb_malicious,
            reasoning=mask_cpr(reasoning),
            score=se,
            severity=severity,
            assessed_at=now,
            assessed_by=actor,
            assessed_by_text=actor_text(actor),
        )
        incident.severity = severity
        incident.save(update_fields=["severity"])
        timeline.record(
            incident,
            "incident.assessed",
            actor=actor,
            at=now,
            data={
                "score": str(se),
                "severity": str(Severity(severity).label),
                "dpc": str(dpc),
                "ei": str(ei),
                "cb": str(cb),
                "reasoning": assessment.reasoning,
            },
        )
    return assessment


def decide(
    incident: Incident,
    *,
    decision: str,
    rationale: str,
    inform_subjects: str,
    actor,
    now: datetime | None = None,
) -> Incident:
    """A person's decision, with its rationale. "Do not notify" stops the 72-hour clock."""
    now = now or timezone.now()
    if decision not in (Decision.NOTIFY, Decision.NOT_NOTIFY):
        raise IncidentError("decide to notify or not")
    if not rationale.strip():
        raise IncidentError("a rationale is required")
    with transaction.atomic():
        incident = _locked(incident)
        incident.decision = decision
        incident.decision_rationale = mask_cpr(rationale)
        incident.inform_subjects = inform_subjects
        incident.decided_at = now
        incident.decided_by_text = actor_text(actor)
        fields = [
            "decision",
            "decision_rationale",
            "inform_subjects",
            "decided_at",
            "decided_by_text",
        ]
        timeline.record(
            incident,
            "incident.decision",
            actor=actor,
            at=now,
            data={
                "decision": str(Decision(decision).label),
                "rationale": incident.decision_rationale,
                "inform_subjects": str(Answer(inform_subjects).label),
            },
        )
        if decision == Decision.NOT_NOTIFY and incident.clock_stopped_at is None:
            incident.clock_stopped_at = now
            fields.append("clock_stopped_at")
            timeline.record(
                incident, "incident.clock_stopped", actor=actor, at=now, data={"why": "not_notify"}
            )
        elif (
            decision == Decision.NOTIFY
            and incident.clock_stopped_at is not None
            and incident.notified_at is None
        ):
            # The earlier "do not notify" is reversed: the deadline still counts from
            # awareness, so the clock runs again (and is likely overdue).
            incident.clock_stopped_at = None
            fields.append("clock_stopped_at")
            timeline.record(
                incident, "incident.clock_restarted", actor=actor, at=now, data={"why": "notify"}
            )
        incident.save(update_fields=fields)
    return incident


def record_notification(
    incident: Incident,
    *,
    phase: str,
    submitted_at: datetime,
    receipt_number: str,
    note: str,
    actor,
    now: datetime | None = None,
) -> Notification:
    """One submission to Datatilsynet. The first one stops the 72-hour clock."""
    now = now or timezone.now()
    if submitted_at > now:
        raise IncidentError("a submission cannot be in the future")
    if not receipt_number.strip():
        raise IncidentError("a receipt number is required")
    with transaction.atomic():
        incident = _locked(incident)
        notification = Notification.objects.create(
            incident=incident,
            phase=phase,
            submitted_at=submitted_at,
            receipt_number=receipt_number.strip(),
            note=mask_cpr(note),
            recorded_by=actor,
            recorded_by_text=actor_text(actor),
        )
        fields = []
        if incident.notified_at is None or submitted_at < incident.notified_at:
            incident.notified_at = submitted_at
            fields.append("notified_at")
        if incident.decision != Decision.NOTIFY:
            incident.decision = Decision.NOTIFY
            fields.append("decision")
        timeline.record(
            incident,
            "incident.notification_recorded",
            actor=actor,
            at=now,
            data={
                "phase": notification.get_phase_display(),
                "submitted_at": timezone.localtime(submitted_at).strftime("%Y-%m-%d %H:%M"),
                "receipt_number": notification.receipt_number,
            },
        )
        if incident.clock_stopped_at is None or incident.clock_stopped_at > submitted_at:
            incident.clock_stopped_at = submitted_at
            fields.append("clock_stopped_at")
            timeline.record(
                incident, "incident.clock_stopped", actor=actor, at=now, data={"why": "notified"}
            )
        if fields:
            incident.save(update_fields=fields)
    return notification


def update_facts(incident: Incident, *, actor, now: datetime | None = None, **facts) -> Incident:
    """The facts the notification asks for. A change of "personal data" moves the clock."""
    now = now or timezone.now()
    unknown = set(facts) - set(FACT_FIELDS)
    if unknown:
        raise IncidentError(f"not a fact: {sorted(unknown)}")
    with transaction.atomic():
        incident = _locked(incident)
        changed = []
        for name, value in facts.items():
            value = mask_cpr(value) if isinstance(value, str) else value
            if getattr(incident, name) != value:
                setattr(incident, name, value)
                changed.append(name)
        if not changed:
            return incident
        incident.save(update_fields=changed)
        timeline.record(
            incident,
            "incident.facts_updated",
            actor=actor,
            at=now,
            data={
                "fields": [str(Incident._meta.get_field(n).verbose_name) for n in changed],
                "personal_data": incident.personal_data,
            },
        )
    return incident
