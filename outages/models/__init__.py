from outages.models.playbook import AppendixRow, Keep, Playbook, PlaybookItem, PlaybookSection
from outages.models.power import POWER_TRANSITIONS, ItemState, PowerOutage, PowerStatus, RunItem
from outages.models.system_outage import (
    LIVE,
    TRANSITIONS,
    AffectedSystem,
    EtaEstimate,
    Impact,
    OutageError,
    OutageStatus,
    SystemOutage,
)

__all__ = [
    "POWER_TRANSITIONS",
    "AppendixRow",
    "ItemState",
    "Keep",
    "Playbook",
    "PlaybookItem",
    "PlaybookSection",
    "PowerOutage",
    "PowerStatus",
    "RunItem",
    "LIVE",
    "TRANSITIONS",
    "AffectedSystem",
    "EtaEstimate",
    "Impact",
    "OutageError",
    "OutageStatus",
    "SystemOutage",
]
