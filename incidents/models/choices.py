"""The incident's vocabulary: kinds, statuses and the answers a worried employee gives."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentKind(models.TextChoices):
    SUSPECTED_BREACH = "suspected_breach", _("Suspected data breach")
    CYBERATTACK = "cyberattack", _("Cyberattack")
    PHISHING = "phishing", _("Phishing")
    LOST_DEVICE = "lost_device", _("Lost or stolen device")
    MISDIRECTED = "misdirected", _("Misdirected letter or e-mail")
    UNAUTHORISED_ACCESS = "unauthorised_access", _("Unauthorised access")
    OTHER = "other", _("Other, or I don't know")


class Answer(models.TextChoices):
    """Yes / no / "ved ikke": a report never forces a guess."""

    UNKNOWN = "unknown", _("I don't know")
    YES = "yes", _("Yes")
    NO = "no", _("No")


class PeopleAffected(models.TextChoices):
    UNKNOWN = "unknown", _("I don't know")
    ONE = "1", _("One person")
    FEW = "2-10", _("2 to 10 people")
    SOME = "11-100", _("11 to 100 people")
    MANY = "101-1000", _("101 to 1,000 people")
    VERY_MANY = "1000+", _("More than 1,000 people")


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ASSESSING = "assessing", _("Under assessment")
    CONTAINED = "contained", _("Contained")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


# The state machine: from each status, the statuses a person may move it to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    IncidentStatus.REPORTED: (
        IncidentStatus.ASSESSING,
        IncidentStatus.CONTAINED,
        IncidentStatus.CLOSED,
    ),
    IncidentStatus.ASSESSING: (IncidentStatus.CONTAINED, IncidentStatus.CLOSED),
    IncidentStatus.CONTAINED: (IncidentStatus.ASSESSING, IncidentStatus.CLOSED),
    IncidentStatus.CLOSED: (IncidentStatus.REOPENED,),
    IncidentStatus.REOPENED: (
        IncidentStatus.ASSESSING,
        IncidentStatus.CONTAINED,
        IncidentStatus.CLOSED,
    ),
}
OPEN_STATUSES = tuple(s for s in IncidentStatus.values if s != IncidentStatus.CLOSED)


class Severity(models.IntegerChoices):
    """ENISA's bands for SE = DPC × EI + CB."""

    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    VERY_HIGH = 4, _("Very high")


class Decision(models.TextChoices):
    PENDING = "pending", _("Not decided yet")
    NOTIFY = "notify", _("Notify Datatilsynet")
    NOT_NOTIFY = "not_notify", _("Do not notify (document only)")


class ClockState(models.TextChoices):
    NOT_APPLICABLE = "n/a", _("No personal data: no 72-hour deadline")
    RUNNING = "running", _("Running")
    OVERDUE = "overdue", _("Overdue")
    STOPPED = "stopped", _("Stopped")
    STOPPED_LATE = "stopped_late", _("Stopped after the deadline")


class NotificationPhase(models.TextChoices):
    INITIAL = "initial", _("Initial notification")
    SUPPLEMENT = "supplement", _("Supplementary notification")
    FINAL = "final", _("Final notification")


class NoRiskReason(models.TextChoices):
    """Why a breach is unlikely to result in a risk (art. 33(1)): the reason a decision
    "document only" records (EDPB guidelines 9/2022 and 01/2021)."""

    ENCRYPTED = (
        "encrypted",
        _("The data was encrypted with a current method and the key is not compromised."),
    )
    RESTORED = (
        "restored",
        _(
            "Availability was restored from backup within a short time, with no loss of "
            "confidentiality."
        ),
    )
    TRUSTED_RECIPIENT = (
        "trusted_recipient",
        _("Only a trusted recipient bound by secrecy received it, and has confirmed deletion."),
    )
    LIMITED = (
        "limited",
        _(
            "Ordinary data about few people reached only known recipients, without malicious "
            "intent or vulnerable people."
        ),
    )
    NO_LOSS = "no_loss", _("Neither confidentiality, availability nor integrity was lost.")
    OTHER = "other", _("Another reason, given in the rationale.")
