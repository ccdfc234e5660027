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
from incidents.models.letters import LetterChannel, LetterRecipient, LetterText
from incidents.models.retention import IncidentPurge, Viewed, ViewLogEntry
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
    "IncidentPurge",
    "IncidentStatus",
    "KindChain",
    "NoRiskReason",
    "LetterChannel",
    "LetterRecipient",
    "LetterText",
    "Notification",
    "NotificationPhase",
    "PeopleAffected",
    "RiskFacts",
    "Severity",
    "StandInAct",
    "ViewLogEntry",
    "Viewed",
]
