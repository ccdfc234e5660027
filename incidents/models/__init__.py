from incidents.models.choices import (
    Answer,
    ClockState,
    Decision,
    IncidentKind,
    IncidentStatus,
    NoRiskReason,
    NotificationPhase,
    PeopleAffected,
    Severity,
)
from incidents.models.gdpr import (
    Advice,
    Assessment,
    DataType,
    DpcAdjustment,
    DpcFactor,
    KindChain,
    Notification,
)
from incidents.models.incident import REMINDER_HOURS, Attachment, Incident
from incidents.models.risk import RiskFacts
from incidents.models.standin import StandInAct

__all__ = [
    "REMINDER_HOURS",
    "Advice",
    "Answer",
    "Assessment",
    "Attachment",
    "ClockState",
    "DataType",
    "Decision",
    "DpcAdjustment",
    "DpcFactor",
    "Incident",
    "IncidentKind",
    "IncidentStatus",
    "KindChain",
    "NoRiskReason",
    "Notification",
    "NotificationPhase",
    "PeopleAffected",
    "RiskFacts",
    "Severity",
    "StandInAct",
]
