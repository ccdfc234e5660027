"""What a deputy recorded while the systemkoordinator was away, until they are told."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from incidents.models.incident import Incident


class StandInAct(models.Model):
    class Act(models.TextChoices):
        ASSESSMENT = "assessment", _("the severity assessment")
        DECISION = "decision", _("the decision")

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="stand_in_acts")
    act = models.CharField(_("what"), max_length=20, choices=Act)
    acted_at = models.DateTimeField(_("when"))
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    acted_by_text = models.CharField(_("by"), max_length=200)
    # The absent systemkoordinator (people are deactivated, never deleted).
    absent = models.ForeignKey(
        "beredskab.Person",
        verbose_name=_("for"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    absent_text = models.CharField(_("for"), max_length=200)
    told_at = models.DateTimeField(_("told on return"), null=True, blank=True)

    class Meta:
        ordering = ["incident", "acted_at", "pk"]
        verbose_name = _("act by a stand-in")
        verbose_name_plural = _("acts by stand-ins")
        indexes = [
            # The return job: acts whose systemkoordinator has not been told yet.
            models.Index(
                fields=["absent"], name="standin_untold", condition=Q(told_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident.reference}: {self.act} by {self.acted_by_text}"
