"""The GDPR side: the decision, the submissions to Datatilsynet, the notification facts.
(The ENISA assessment and the DPO's advice: services.assessment.)"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from beredskab import timeline
from beredskab.actors import actor_text
from beredskab.cpr import mask_cpr
from incidents.models import (
    Answer,
    Decision,
    Incident,
    NoRiskReason,
    Notification,
    RiskFacts,
    StandInAct,
)
from incidents.models.risk import RISK_FIELDS
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


def locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


def decide(
    incident: Incident,
    *,
    decision: str,
    rationale: str,
    inform_subjects: str,
    no_risk_reason: str = "",
    actor,
    acting_for=None,
    now: datetime | None = None,
) -> Incident:
    """A person's decision, with its rationale. "Do not notify" stands on a recorded
    reason why risk is unlikely (art. 33(1)) and stops the 72-hour clock. `acting_for`:
    the absent systemkoordinator a deputy records this for."""
    now = now or timezone.now()
    if decision not in (Decision.NOTIFY, Decision.NOT_NOTIFY):
        raise IncidentError("decide to notify or not")
    if not rationale.strip():
        raise IncidentError("a rationale is required")
    if decision == Decision.NOT_NOTIFY and no_risk_reason not in NoRiskReason.values:
        raise IncidentError("document only needs the reason why risk is unlikely")
    if decision == Decision.NOTIFY:
        no_risk_reason = ""
    with transaction.atomic():
        incident = locked(incident)
        incident.decision = decision
        incident.decision_rationale = mask_cpr(rationale)
        incident.no_risk_reason = no_risk_reason
        incident.inform_subjects = inform_subjects
        incident.decided_at = now
        incident.decided_by_text = actor_text(actor)
        fields = [
            "decision",
            "decision_rationale",
            "no_risk_reason",
            "inform_subjects",
            "decided_at",
            "decided_by_text",
        ]
        data = {
            "decision": str(Decision(decision).label),
            "rationale": incident.decision_rationale,
            "inform_subjects": str(Answer(inform_subjects).label),
        }
        if no_risk_reason:
            data["no_risk_reason"] = str(NoRiskReason(no_risk_reason).label)
        if acting_for is not None:
            data["as_deputy_for"] = acting_for.name
        timeline.record(incident, "incident.decision", actor=actor, at=now, data=data)
        if acting_for is not None:
            from incidents.services.standin import record_act

            record_act(incident, StandInAct.Act.DECISION, actor=actor, absent=acting_for, at=now)
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
        incident = locked(incident)
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


def update_facts(
    incident: Incident, *, actor, risk: dict | None = None, now: datetime | None = None, **facts
) -> Incident:
    """The facts the notification asks for, and the risk facts the recommendation is
    judged on (`risk`: RiskFacts field → value). A change of "personal data" moves the clock."""
    now = now or timezone.now()
    risk = risk or {}
    unknown = (set(facts) - set(FACT_FIELDS)) | (set(risk) - set(RISK_FIELDS))
    if unknown:
        raise IncidentError(f"not a fact: {sorted(unknown)}")
    with transaction.atomic():
        incident = locked(incident)
        changed = _apply(
            incident, {k: mask_cpr(v) if isinstance(v, str) else v for k, v in facts.items()}
        )
        if changed:
            incident.save(update_fields=changed)
        row = RiskFacts.objects.filter(incident=incident).first() or RiskFacts(incident=incident)
        risk_changed = _apply(row, risk)
        if risk_changed or (risk and row.pk is None):
            row.save()
        names = [Incident._meta.get_field(n).verbose_name for n in changed]
        names += [RiskFacts._meta.get_field(n).verbose_name for n in risk_changed]
        if not names:
            return incident
        timeline.record(
            incident,
            "incident.facts_updated",
            actor=actor,
            at=now,
            data={
                "fields": [str(name) for name in names],
                "personal_data": incident.personal_data,
                "risk": {name: getattr(row, name) for name in risk_changed},
            },
        )
    return incident


def _apply(obj, values: dict) -> list[str]:
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed
