"""The contact centre's channels. The status board that changes them comes later."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContactChannel(models.Model):
    """One way citizens reach the municipality (switchboard, phone robot, Teams, ...)."""

    class State(models.TextChoices):
        WORKING = "working", _("Working")
        DEGRADED = "degraded", _("Degraded")
        DOWN = "down", _("Down")
        UNKNOWN = "unknown", _("Unknown")

    key = models.SlugField(
        _("key"), max_length=60, unique=True, help_text=_("Stable id used by load_plan.")
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.UNKNOWN)
    state_since = models.DateTimeField(_("state since"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    # Display text, not a foreign key: who said so stays readable after a login is
    # deactivated, like the timeline's actor_text.
    updated_by_text = models.CharField(_("updated by"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("contact channel")
        verbose_name_plural = _("contact channels")

    def __str__(self) -> str:
        return self.name
