"""Who looked at an incident, and when its personal data was purged.

Both are about the incident's personal data: a view log row is written for every view
of its detail, draft, PDF or letters (read by the systemkoordinator and the DPO), and
an IncidentPurge row records that the retention rule has run (statistics stay on the
incident itself).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.models.incident import Incident


class Viewed(models.TextChoices):
    DETAIL = "detail", _("Incident page")
    DRAFT = "draft", _("Datatilsynet draft")
    DRAFT_PDF = "draft_pdf", _("Datatilsynet draft (PDF)")
    LETTERS = "letters", _("Letters to the people affected")
    LETTERS_PDF = "letters_pdf", _("Letters (PDF)")


class ViewLogEntry(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="views")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too: a login is deactivated, never deleted, but names change.
    user_text = models.CharField(_("who"), max_length=200)
    what = models.CharField(_("what"), max_length=20, choices=Viewed)
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["incident", "-at", "-pk"]
        verbose_name = _("view of an incident")
        verbose_name_plural = _("views of incidents")
        # Serves the per-incident log page, newest first.
        indexes = [models.Index(fields=["incident", "-at"], name="incident_viewlog_order")]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.what} {self.user_text}"


class IncidentPurge(models.Model):
    """The retention rule has removed this incident's personal data."""

    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="purge")
    closed_at = models.DateTimeField(_("closed"))
    purged_at = models.DateTimeField(_("personal data purged"))
    retention_years = models.PositiveSmallIntegerField(_("retention (years)"))

    class Meta:
        verbose_name = _("purge of an incident's personal data")
        verbose_name_plural = _("purges of incidents' personal data")

    def __str__(self) -> str:
        return f"{self.incident_id} purged {self.purged_at:%Y-%m-%d}"
