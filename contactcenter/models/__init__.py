from contactcenter.models.channels import ContactChannel, host_allowed, validate_health_url
from contactcenter.models.message import (
    CrisisMessage,
    MessageError,
    RobotIntegration,
    length_problem,
)
from contactcenter.models.people import CentreLocation, Reachability

__all__ = [
    "CentreLocation",
    "ContactChannel",
    "CrisisMessage",
    "MessageError",
    "Reachability",
    "RobotIntegration",
    "host_allowed",
    "length_problem",
    "validate_health_url",
]
