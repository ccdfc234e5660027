"""Escalation runs: a chain's steps snapshotted at start, driven by acknowledgements
and by the periodic tick (beredskab.escalation.engine)."""

from __future__ import annotations

import hashlib

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beredskab.models.chains import EventKind
from beredskab.models.directory import Person


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


LIVE_STEP_STATUSES = {StepStatus.NOTIFIED, StepStatus.REMINDED}
# A run is open while someone may still acknowledge or be told.
OPEN_RUN_STATUSES = {RunStatus.ACTIVE, RunStatus.UNACKNOWLEDGED}


class RunQuerySet(models.QuerySet):
    def real(self):
        return self.filter(is_exercise=False)

    def exercises(self):
        return self.filter(is_exercise=True)

    def open(self):
        return self.filter(status__in=OPEN_RUN_STATUSES)


class EscalationRun(models.Model):
    chain = models.ForeignKey(
        "beredskab.EscalationChain",
        verbose_name=_("chain"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    chain_name = models.CharField(_("chain"), max_length=150)
    event_kind = models.CharField(_("event kind"), max_length=20, choices=EventKind)
    title = models.CharField(_("title"), max_length=150)
    # Shown on the acknowledgement page without login: no personal data.
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    reporter = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus, default=RunStatus.ACTIVE
    )
    is_exercise = models.BooleanField(_("exercise"), default=False)
    include_external = models.BooleanField(_("include external steps"), default=True)
    is_test = models.BooleanField(_("test of the chain"), default=False)
    started_at = models.DateTimeField(_("started"))
    started_by_text = models.CharField(max_length=200, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.TextField(_("reason"), blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("escalation run")
        verbose_name_plural = _("escalation runs")
        indexes = [models.Index(fields=["status", "-started_at"], name="run_status_started")]

    def __str__(self) -> str:
        prefix = "ØVELSE: " if self.is_exercise else ""
        return f"{prefix}{self.title}"

    @property
    def group_key(self) -> str:
        return f"run:{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RUN_STATUSES


class RunStep(models.Model):
    run = models.ForeignKey(EscalationRun, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=150)
    # The snapshot of the chain's step at the run's start.
    role_names = models.JSONField(default=list)
    person_ids = models.JSONField(default=list)
    notify_nearest_leader = models.BooleanField(default=False)
    by_sms = models.BooleanField(default=True)
    by_email = models.BooleanField(default=True)
    is_external = models.BooleanField(default=False)
    ack_timeout_minutes = models.PositiveIntegerField()
    checklist = models.JSONField(default=list)

    status = models.CharField(
        _("status"), max_length=20, choices=StepStatus, default=StepStatus.WAITING
    )
    started_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="runstep_position_unique")
        ]
        # The tick: live steps whose deadline has passed.
        indexes = [
            models.Index(
                fields=["deadline"],
                name="runstep_live_deadline",
                condition=Q(status__in=["notified", "reminded"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.position}. {self.name}"

    def channels(self) -> list[str]:
        return [c for c, on in (("sms", self.by_sms), ("email", self.by_email)) if on]

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STEP_STATUSES


class RunRecipient(models.Model):
    step = models.ForeignKey(RunStep, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    as_deputy_for = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notified_at = models.DateTimeField()

    class Meta:
        ordering = ["step", "notified_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["step", "person"], name="runrecipient_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.step}"


class AckToken(models.Model):
    """A single-purpose acknowledgement link. Only the SHA-256 of the token is stored."""

    recipient = models.ForeignKey(RunRecipient, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token for {self.recipient}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ChecklistTick(models.Model):
    step = models.ForeignKey(RunStep, on_delete=models.CASCADE, related_name="ticks")
    item_index = models.PositiveSmallIntegerField()
    item_text = models.CharField(max_length=300)
    ticked_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    ticked_by_text = models.CharField(max_length=200, blank=True)
    ticked_at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["step", "item_index"]
        constraints = [
            models.UniqueConstraint(fields=["step", "item_index"], name="checklisttick_unique")
        ]

    def __str__(self) -> str:
        return self.item_text
