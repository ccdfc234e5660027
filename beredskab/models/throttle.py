"""One row per report that could start an escalation: admitted at once, or held until
the systemkoordinator releases it (beredskab.throttle). Shared by every app that lets
a person raise an alarm, so one reporter's budget counts across apps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GateState(models.TextChoices):
    ADMITTED = "admitted", _("Escalation started")
    HELD = "held", _("Held")
    RELEASED = "released", _("Released")


class ReportGate(models.Model):
    # Users are deactivated, never deleted (the timeline keeps their ids), so PROTECT.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reporter_text = models.CharField(max_length=200, blank=True)
    # The subject as the timeline keys it (app_label.model, pk), so the core never
    # imports the feature app that owns the report.
    subject_type = models.CharField(max_length=100)
    subject_id = models.BigIntegerField()
    subject_text = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=GateState.choices)
    at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"], name="report_gate_one_per_subject"
            )
        ]
        indexes = [
            # throttle.admit(): the reporter's admitted reports within the window, and
            # whether a burst of theirs is already held.
            models.Index(fields=["reporter", "state", "at"], name="report_gate_reporter_state"),
            # The "Afventer godkendelse" page: every held report, oldest first.
            models.Index(fields=["state", "at"], name="report_gate_state_at"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_text} ({self.get_state_display()})"
