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
    "LIVE",
    "TRANSITIONS",
    "AffectedSystem",
    "EtaEstimate",
    "Impact",
    "OutageError",
    "OutageStatus",
    "SystemOutage",
]
