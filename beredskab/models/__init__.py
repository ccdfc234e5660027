from beredskab.models.chains import Channel, EscalationChain, EscalationStep, EventKind
from beredskab.models.content import InfoLink
from beredskab.models.directory import (
    Absence,
    Capability,
    Department,
    Person,
    Supplier,
    System,
)
from beredskab.models.health import Heartbeat
from beredskab.models.timeline import TimelineEvent

__all__ = [
    "Absence",
    "Capability",
    "Channel",
    "Department",
    "EscalationChain",
    "EscalationStep",
    "EventKind",
    "Heartbeat",
    "InfoLink",
    "Person",
    "Supplier",
    "System",
    "TimelineEvent",
]
