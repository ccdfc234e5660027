"""The states of an escalation run and of its steps, the moves allowed between them,
and the completion rule a step is acknowledged under.

The transition methods on EscalationRun and RunStep (beredskab.models.escalation) are
the only code that sets a status; they check these tables.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EscalationError(Exception):
    """A transition that is not allowed from the current state."""


class RunStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    UNACKNOWLEDGED = "unacknowledged", _("Unacknowledged")
    RESOLVED = "resolved", _("Resolved")
    CANCELLED = "cancelled", _("Cancelled")


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    NOTIFIED = "notified", _("Notified")
    REMINDED = "reminded", _("Reminded")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    TIMED_OUT = "timed_out", _("No answer")
    SKIPPED = "skipped", _("Skipped")
    CANCELLED = "cancelled", _("Cancelled")


class Completion(models.TextChoices):
    """When a step counts as acknowledged."""

    ANYONE = "anyone", _("Anyone on the step")
    EACH_POSITION = "each_position", _("Each position named on the step")
    EVERYONE = "everyone", _("Everyone on the step")


R = RunStatus
RUN_TRANSITIONS: dict[str, tuple[str, ...]] = {
    R.ACTIVE: (R.ACKNOWLEDGED, R.UNACKNOWLEDGED, R.RESOLVED, R.CANCELLED),
    R.ACKNOWLEDGED: (R.RESOLVED, R.CANCELLED),
    R.UNACKNOWLEDGED: (R.RESOLVED, R.CANCELLED),
    R.RESOLVED: (),
    R.CANCELLED: (),
}

S = StepStatus
STEP_TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.WAITING: (S.NOTIFIED, S.SKIPPED, S.TIMED_OUT, S.CANCELLED),
    S.NOTIFIED: (S.REMINDED, S.ACKNOWLEDGED, S.CANCELLED),
    S.REMINDED: (S.ACKNOWLEDGED, S.TIMED_OUT, S.CANCELLED),
    S.ACKNOWLEDGED: (),
    S.TIMED_OUT: (),
    S.SKIPPED: (),
    S.CANCELLED: (),
}

LIVE_STEP_STATUSES = {S.NOTIFIED, S.REMINDED}
# A run is open while someone may still acknowledge or be told.
OPEN_RUN_STATUSES = {R.ACTIVE, R.UNACKNOWLEDGED}
# A run has ended: nothing more is sent for it.
ENDED_RUN_STATUSES = {R.RESOLVED, R.CANCELLED}

# Position keys on a step ("each position"): the reporter's nearest leader (or the
# deputy standing in), any holder of a role, one named person.
LEADER = "leader"


def role_position(role_name: str) -> str:
    return f"role:{role_name}"


def person_position(pk: int) -> str:
    return f"person:{pk}"


def self_position(pk: int) -> str:
    """Every recipient fills their own "self" position (for "everyone"); a deputy
    fills the one of the person they stand in for."""
    return f"self:{pk}"
