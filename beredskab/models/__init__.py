from beredskab.models.broadcast import Broadcast, MediaOutlet, MessageTemplate, PressText
from beredskab.models.chains import Channel, EscalationChain, EscalationStep, EventKind
from beredskab.models.content import InfoLink
from beredskab.models.directory import (
    Absence,
    Capability,
    Department,
    Person,
)
from beredskab.models.emergency import BreakGlassAccount, EmergencyPeriod, SmsCode, SmsCodePurpose
from beredskab.models.escalation import (
    AckToken,
    ChecklistTick,
    EscalationRun,
    RunRecipient,
    RunStep,
)
from beredskab.models.escalation_states import Completion, EscalationError, RunStatus, StepStatus
from beredskab.models.grants import GrantStatus, RoleGrant
from beredskab.models.health import Heartbeat
from beredskab.models.outbox import OutboxMessage, Priority, Status
from beredskab.models.provider_health import HealthState, ProviderHealth
from beredskab.models.scim import (
    DepartmentMapping,
    GroupRoleMapping,
    ScimDeactivation,
    ScimGroup,
    ScimMatch,
    ScimToken,
)
from beredskab.models.second_factor import EnrolmentCode, LoginRecord
from beredskab.models.systems import Supplier, System
from beredskab.models.throttle import GateState, ReportGate
from beredskab.models.timeline import TimelineEvent

__all__ = [
    "BreakGlassAccount",
    "EmergencyPeriod",
    "SmsCode",
    "SmsCodePurpose",
    "EnrolmentCode",
    "LoginRecord",
    "Broadcast",
    "MediaOutlet",
    "MessageTemplate",
    "PressText",
    "AckToken",
    "ChecklistTick",
    "Completion",
    "EscalationError",
    "EscalationRun",
    "OutboxMessage",
    "HealthState",
    "ProviderHealth",
    "Priority",
    "RunRecipient",
    "RunStatus",
    "RunStep",
    "Status",
    "StepStatus",
    "Absence",
    "Capability",
    "Channel",
    "Department",
    "EscalationChain",
    "EscalationStep",
    "EventKind",
    "GrantStatus",
    "Heartbeat",
    "RoleGrant",
    "InfoLink",
    "Person",
    "GateState",
    "ReportGate",
    "DepartmentMapping",
    "GroupRoleMapping",
    "ScimDeactivation",
    "ScimGroup",
    "ScimMatch",
    "ScimToken",
    "Supplier",
    "System",
    "TimelineEvent",
]
