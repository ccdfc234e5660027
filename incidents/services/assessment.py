"""The ENISA severity assessment (with the DPC's context adjustments) and the DPO's advice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from beredskab import timeline
from beredskab.cpr import mask_cpr
from incidents.models import (
    Advice,
    Answer,
    Assessment,
    DpcAdjustment,
    DpcFactor,
    Incident,
    Severity,
    StandInAct,
)
from incidents.models.gdpr import score, severity_for
from incidents.services import IncidentError
from incidents.services.gdpr import actor_text, locked
from incidents.services.standin import record_act

DPC_MIN, DPC_MAX = Decimal(1), Decimal(4)


@dataclass(frozen=True)
class Adjustment:
    """ENISA (2013): the basic DPC raised or lowered by one factor of its context."""

    factor: str
    change: Decimal
    reason: str


def adjusted_dpc(data_type: int, adjustments: list[Adjustment]) -> Decimal:
    """The basic score plus every change; refused outside 1 to 4 or without factor/reason."""
    for adjustment in adjustments:
        if adjustment.factor not in DpcFactor.values:
            raise IncidentError("an adjustment needs its factor")
        if not adjustment.reason.strip():
            raise IncidentError("an adjustment needs its reason")
        if not adjustment.change:
            raise IncidentError("an adjustment changes the score")
    dpc = Decimal(data_type) + sum((a.change for a in adjustments), Decimal(0))
    if not DPC_MIN <= dpc <= DPC_MAX:
        raise IncidentError("DPC is between 1 and 4")
    return dpc.quantize(Decimal("0.01"))


def assess(
    incident: Incident,
    *,
    data_type: int,
    adjustments: list[Adjustment],
    ei: Decimal,
    cb_confidentiality: Decimal,
    cb_integrity: Decimal,
    cb_availability: Decimal,
    cb_malicious: Decimal,
    reasoning: str,
    actor,
    acting_for=None,
    now: datetime | None = None,
) -> Assessment:
    """Save ENISA's inputs and reasoning; the incident's severity follows the latest.
    `acting_for`: the absent systemkoordinator a deputy records this for."""
    now = now or timezone.now()
    dpc = adjusted_dpc(data_type, adjustments)
    cb = cb_confidentiality + cb_integrity + cb_availability + cb_malicious
    se = score(dpc, ei, cb)
    severity = severity_for(se)
    with transaction.atomic():
        incident = locked(incident)
        assessment = Assessment.objects.create(
            incident=incident,
            data_type=data_type,
            dpc=dpc,
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
        DpcAdjustment.objects.bulk_create(
            DpcAdjustment(
                assessment=assessment, factor=a.factor, change=a.change, reason=mask_cpr(a.reason)
            )
            for a in adjustments
        )
        incident.severity = severity
        incident.save(update_fields=["severity"])
        data = {
            "score": str(se),
            "severity": str(Severity(severity).label),
            "dpc_basic": str(data_type),
            "dpc": str(dpc),
            "adjustments": [
                {"factor": a.factor, "change": str(a.change), "reason": mask_cpr(a.reason)}
                for a in adjustments
            ],
            "ei": str(ei),
            "cb": str(cb),
            "reasoning": assessment.reasoning,
        }
        if acting_for is not None:
            data["as_deputy_for"] = acting_for.name
        timeline.record(incident, "incident.assessed", actor=actor, at=now, data=data)
        if acting_for is not None:
            record_act(incident, StandInAct.Act.ASSESSMENT, actor=actor, absent=acting_for, at=now)
    return assessment


def advise(
    incident: Incident,
    *,
    notify_authority: str,
    inform_subjects: str,
    reasoning: str,
    actor,
    now: datetime | None = None,
) -> Advice:
    """The DPO's recommendation, at any time; the decision stays the decider's."""
    now = now or timezone.now()
    if not reasoning.strip():
        raise IncidentError("a recommendation gives its reasoning")
    with transaction.atomic():
        incident = locked(incident)
        advice = Advice.objects.create(
            incident=incident,
            notify_authority=notify_authority,
            inform_subjects=inform_subjects,
            reasoning=mask_cpr(reasoning),
            recorded_at=now,
            recorded_by=actor,
            recorded_by_text=actor_text(actor),
        )
        timeline.record(
            incident,
            "incident.dpo_advice",
            actor=actor,
            at=now,
            data={
                "notify": str(Answer(notify_authority).label),
                "inform_subjects": str(Answer(inform_subjects).label),
                "reasoning": advice.reasoning,
            },
        )
    return advice
