from contactcenter.models.channels import ContactChannel, host_allowed, validate_health_url
from contactcenter.models.message import (
    CrisisMessage,
    MessageError,
    RobotIntegration,
    length_problem,
)

__all__ = [
    "ContactChannel",
    "CrisisMessage",
    "MessageError",
    "RobotIntegration",
    "host_allowed",
    "length_problem",
    "validate_health_url",
]
