"""The facts a breach's risk is judged on (the EDPB's factors), one row per incident.

Every answer starts as "not known yet": the law's default is to notify, so an unknown
fact never makes a breach look harmless (incidents.recommend).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.models.choices import Answer
from incidents.models.incident import Incident

NOT_KNOWN = _("Not known yet")


class DataKind(models.TextChoices):
    UNKNOWN = "unknown", NOT_KNOWN
    ORDINARY = "ordinary", _("Ordinary data (names, contact details, orders)")
    FINANCIAL = "financial", _("Financial data (income, wages, accounts, cards, insurance terms)")
    CREDENTIALS = "credentials", _("Passwords or other log-in data")
    IDENTITY = "identity", _("CPR numbers or identity documents")
    SPECIAL = "special", _("Sensitive data (health, social conditions, criminal offences)")


# The kinds a misuse hurts most: fraud, identity theft, discrimination (ENISA DPC 3–4).
SENSITIVE_KINDS = (
    DataKind.FINANCIAL,
    DataKind.CREDENTIALS,
    DataKind.IDENTITY,
    DataKind.SPECIAL,
)


class DataLeft(models.TextChoices):
    UNKNOWN = "unknown", NOT_KNOWN
    NO = "no", _("No: the data stayed with us (no loss of confidentiality)")
    MISDIRECTED = "misdirected", _("Sent or handed to the wrong recipient")
    EXFILTRATED = "exfiltrated", _("Copied or taken by an attacker or an insider")
    LOST = "lost", _("A device or papers were lost or stolen")
    PUBLISHED = "published", _("Published or openly available")


class Encryption(models.TextChoices):
    UNKNOWN = "unknown", NOT_KNOWN
    NONE = "none", _("Not encrypted (or on paper)")
    WEAK = "weak", _("Encrypted or hashed with an outdated method, or only a password")
    STRONG = "strong", _("Encrypted or hashed with a current method; the key is not compromised")
    KEY_COMPROMISED = "key_compromised", _("Encrypted, but the key (or salt) is compromised")


class Restore(models.TextChoices):
    UNKNOWN = "unknown", NOT_KNOWN
    NOT_AFFECTED = "not_affected", _("Availability was not lost")
    QUICK = "quick", _("Restored from backup within a short time (hours)")
    SLOW = "slow", _("Restored only after days, or rebuilt by hand")
    LOST = "lost", _("Not restored: no usable backup")


class Recipient(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown, or not known yet")
    NONE = "none", _("Nobody: the data reached no one")
    TRUSTED = "trusted", _("A trusted recipient bound by secrecy who has confirmed deletion")
    KNOWN = "known", _("Known, identified recipients (another citizen, a former employee)")


class Identifiable(models.TextChoices):
    UNKNOWN = "unknown", NOT_KNOWN
    EASY = "easy", _("Easily: names, CPR numbers or dates of birth are in the data")
    EFFORT = "effort", _("Only with effort or other data")
    HARD = "hard", _("Hardly: the people cannot be identified")


class SubjectsException(models.TextChoices):
    """GDPR art. 34(3): when the people need not be told of a high-risk breach."""

    NONE = "none", _("None")
    ENCRYPTED = "encrypted", _("(a) The data is unintelligible to others, e.g. encrypted")
    MEASURES = "measures", _("(b) Later measures mean the high risk is no longer likely")
    DISPROPORTIONATE = (
        "disproportionate",
        _("(c) Telling each person would take disproportionate effort: a public communication"),
    )


class RiskFacts(models.Model):
    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="risk")
    data_kind = models.CharField(
        _("most sensitive kind of data"),
        max_length=20,
        choices=DataKind,
        default=DataKind.UNKNOWN,
    )
    data_left = models.CharField(
        _("did the data leave our control?"),
        max_length=20,
        choices=DataLeft,
        default=DataLeft.UNKNOWN,
    )
    recipient = models.CharField(
        _("who has the data now"), max_length=20, choices=Recipient, default=Recipient.UNKNOWN
    )
    encryption = models.CharField(
        _("encryption and key"), max_length=20, choices=Encryption, default=Encryption.UNKNOWN
    )
    restore = models.CharField(
        _("backup and restore"), max_length=20, choices=Restore, default=Restore.UNKNOWN
    )
    integrity = models.CharField(
        _("data altered or destroyed (loss of integrity)"),
        max_length=10,
        choices=Answer,
        default=Answer.UNKNOWN,
    )
    vulnerable = models.CharField(
        _("vulnerable people (children, citizens in social cases, patients)"),
        max_length=10,
        choices=Answer,
        default=Answer.UNKNOWN,
    )
    identifiable = models.CharField(
        _("can the people be identified?"),
        max_length=10,
        choices=Identifiable,
        default=Identifiable.UNKNOWN,
    )
    malicious = models.CharField(
        _("malicious intent (attack, theft, misuse)"),
        max_length=10,
        choices=Answer,
        default=Answer.UNKNOWN,
    )
    subjects_exception = models.CharField(
        _("exception from telling the people affected (art. 34(3))"),
        max_length=20,
        choices=SubjectsException,
        default=SubjectsException.NONE,
    )
    cross_border = models.CharField(
        _("people in other EU/EEA countries affected (cross-border)"),
        max_length=10,
        choices=Answer,
        default=Answer.UNKNOWN,
    )

    class Meta:
        verbose_name = _("risk facts")
        verbose_name_plural = _("risk facts")

    def __str__(self) -> str:
        return f"{self.incident.reference}: risk facts"


RISK_FIELDS = (
    "data_kind",
    "data_left",
    "recipient",
    "encryption",
    "restore",
    "integrity",
    "vulnerable",
    "identifiable",
    "malicious",
    "subjects_exception",
    "cross_border",
)


def risk_facts_for(incident: Incident) -> RiskFacts:
    """The incident's facts, or an unsaved row of "not known yet" answers."""
    try:
        return incident.risk
    except RiskFacts.DoesNotExist:
        return RiskFacts(incident=incident)
