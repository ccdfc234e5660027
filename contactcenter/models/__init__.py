from contactcenter.models.channels import ContactChannel, host_allowed, validate_health_url
from contactcenter.models.message import (
    CrisisMessage,
    MessageError,
    RobotIntegration,
    length_problem,
)
from contactcenter.models.people import (
    CentreLocation,
    Reachability,
    is_danish_number,
    validate_forwarding_number,
)

__all__ = [
    "CentreLocation",
    "ContactChannel",
    "CrisisMessage",
    "MessageError",
    "Reachability",
    "RobotIntegration",
    "host_allowed",
    "is_danish_number",
    "length_problem",
    "validate_forwarding_number",
    "validate_health_url",
]
