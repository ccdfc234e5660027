"""Editable content of the information-security page."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InfoLink(models.Model):
    """A curated link or guidance text on the "Informationssikkerhed" page."""

    key = models.SlugField(
        _("key"), max_length=60, unique=True, help_text=_("Stable id used by load_plan.")
    )
    title = models.CharField(_("title"), max_length=150)
    url = models.URLField(_("address"), blank=True)
    guidance = models.TextField(_("guidance"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("information-security link")
        verbose_name_plural = _("information-security links")

    def __str__(self) -> str:
        return self.title
