from incidents.models.choices import (
    Answer,
    ClockState,
    Decision,
    IncidentKind,
    IncidentStatus,
    NotificationPhase,
    PeopleAffected,
    Severity,
)
from incidents.models.gdpr import Assessment, DataType, KindChain, Notification
from incidents.models.incident import REMINDER_HOURS, Attachment, Incident

__all__ = [
    "REMINDER_HOURS",
    "Answer",
    "Assessment",
    "Attachment",
    "ClockState",
    "DataType",
    "Decision",
    "Incident",
    "IncidentKind",
    "IncidentStatus",
    "KindChain",
    "Notification",
    "NotificationPhase",
    "PeopleAffected",
    "Severity",
]
