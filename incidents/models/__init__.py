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
from incidents.models.letters import LetterChannel, LetterRecipient, LetterText
from incidents.models.retention import IncidentPurge, Viewed, ViewLogEntry

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
    "IncidentPurge",
    "IncidentStatus",
    "KindChain",
    "LetterChannel",
    "LetterRecipient",
    "LetterText",
    "Notification",
    "NotificationPhase",
    "PeopleAffected",
    "Severity",
    "ViewLogEntry",
    "Viewed",
]
