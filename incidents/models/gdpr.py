"""The severity assessment by ENISA's method, and the submissions to Datatilsynet."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.models.choices import Answer, IncidentKind, NotificationPhase, Severity
from incidents.models.incident import Incident


class DataType(models.IntegerChoices):
    """ENISA's basic data-processing context (DPC) score by the kind of data."""

    SIMPLE = 1, _("Simple data (name, contact details, education)")
    BEHAVIOURAL = 2, _("Behavioural data (location, traffic, habits)")
    FINANCIAL = 3, _("Financial data (income, transactions, account numbers)")
    SENSITIVE = 4, _("Sensitive data (health, social conditions, CPR, criminal records)")


EI_CHOICES = [
    (Decimal("0.25"), _("Negligible: the people cannot be identified")),
    (Decimal("0.50"), _("Limited")),
    (Decimal("0.75"), _("Medium")),
    (Decimal("1.00"), _("Full: the people are easily identified")),
]
CB_CHOICES = [
    (Decimal("0.00"), _("No")),
    (Decimal("0.25"), _("Yes, limited")),
    (Decimal("0.50"), _("Yes, substantial")),
]
MALICE_CHOICES = [(Decimal("0.00"), _("No")), (Decimal("0.50"), _("Yes"))]


def score(dpc: Decimal, ei: Decimal, cb: Decimal) -> Decimal:
    """ENISA: SE = DPC × EI + CB."""
    return (dpc * ei + cb).quantize(Decimal("0.01"))


def severity_for(se: Decimal) -> int:
    """Below 2 low, below 3 medium, below 4 high, otherwise very high."""
    if se < 2:
        return Severity.LOW
    if se < 3:
        return Severity.MEDIUM
    if se < 4:
        return Severity.HIGH
    return Severity.VERY_HIGH


class DpcFactor(models.TextChoices):
    """ENISA (2013): the context that raises or lowers the basic DPC score, to any value
    from 1 to 4."""

    VOLUME = "volume", _("Volume: enough data to profile the person")
    NATURE = "nature", _("Nature: the data lets others infer sensitive things")
    CONTROLLER = "controller", _("Context: who holds the data exposes the person")
    VULNERABLE = "vulnerable", _("Vulnerable people (children, social cases)")
    PUBLIC = "public", _("Already public: the data is openly available")
    INACCURATE = "inaccurate", _("Out of date, invalid or inaccurate data")
    OTHER = "other", _("Other context (say which in the reason)")


class Assessment(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="assessments")
    data_type = models.PositiveSmallIntegerField(_("kind of data"), choices=DataType)
    dpc = models.DecimalField(
        _("data-processing context (DPC), adjusted"), max_digits=3, decimal_places=2
    )
    ei = models.DecimalField(_("ease of identification (EI)"), max_digits=3, decimal_places=2)
    cb_confidentiality = models.DecimalField(
        _("loss of confidentiality"), max_digits=3, decimal_places=2
    )
    cb_integrity = models.DecimalField(_("loss of integrity"), max_digits=3, decimal_places=2)
    cb_availability = models.DecimalField(_("loss of availability"), max_digits=3, decimal_places=2)
    cb_malicious = models.DecimalField(_("malicious intent"), max_digits=3, decimal_places=2)
    reasoning = models.TextField(_("reasoning"))
    score = models.DecimalField(_("score (SE)"), max_digits=4, decimal_places=2)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity)
    assessed_at = models.DateTimeField(_("assessed"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_by_text = models.CharField(_("assessed by"), max_length=200, blank=True)

    class Meta:
        ordering = ["incident", "-assessed_at", "-pk"]
        verbose_name = _("severity assessment")
        verbose_name_plural = _("severity assessments")

    def __str__(self) -> str:
        return f"{self.incident.reference}: SE {self.score}"

    @property
    def cb(self) -> Decimal:
        return (
            self.cb_confidentiality + self.cb_integrity + self.cb_availability + self.cb_malicious
        )


class DpcAdjustment(models.Model):
    """One adjustment of the DPC by its context, with its factor and reason (ENISA 2013)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="adjustments")
    factor = models.CharField(_("factor"), max_length=20, choices=DpcFactor)
    change = models.DecimalField(_("change"), max_digits=3, decimal_places=2)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["assessment", "pk"]
        verbose_name = _("DPC adjustment")
        verbose_name_plural = _("DPC adjustments")

    def __str__(self) -> str:
        return f"{self.get_factor_display()}: {self.change:+}"


class Advice(models.Model):
    """The DPO's recommendation: recorded at any time, by the DPO, for the decider."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="advice")
    notify_authority = models.CharField(
        _("notify Datatilsynet"), max_length=10, choices=Answer, default=Answer.UNKNOWN
    )
    inform_subjects = models.CharField(
        _("inform the people affected"), max_length=10, choices=Answer, default=Answer.UNKNOWN
    )
    reasoning = models.TextField(_("reasoning"))
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_text = models.CharField(_("recorded by"), max_length=200, blank=True)

    class Meta:
        ordering = ["incident", "-recorded_at", "-pk"]
        verbose_name = _("DPO recommendation")
        verbose_name_plural = _("DPO recommendations")

    def __str__(self) -> str:
        return f"{self.incident.reference}: {self.recorded_by_text}"


class Notification(models.Model):
    """One submission to Datatilsynet (art. 33(4) allows notifying in phases)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="notifications")
    phase = models.CharField(_("phase"), max_length=20, choices=NotificationPhase)
    submitted_at = models.DateTimeField(_("submitted"))
    receipt_number = models.CharField(_("receipt number"), max_length=100)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_text = models.CharField(_("recorded by"), max_length=200, blank=True)

    class Meta:
        ordering = ["incident", "submitted_at", "pk"]
        verbose_name = _("notification to Datatilsynet")
        verbose_name_plural = _("notifications to Datatilsynet")

    def __str__(self) -> str:
        return f"{self.incident.reference}: {self.receipt_number}"


class KindChain(models.Model):
    """Which escalation chain a kind of incident starts (edited by the systemkoordinator)."""

    kind = models.CharField(_("kind"), max_length=30, choices=IncidentKind, unique=True)
    chain = models.ForeignKey(
        "beredskab.EscalationChain",
        verbose_name=_("escalation chain"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("chain for a kind of incident")
        verbose_name_plural = _("chains for kinds of incident")

    def __str__(self) -> str:
        return f"{self.kind} → {self.chain}"
