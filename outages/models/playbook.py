"""Playbooks as data (ordered sections and items, each with an owner role) and
Appendix 1 ("Bilag 1"): which citizen-service functions can be kept up in a power
outage, how, and on which systems they depend. Edited by the systemkoordinator."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from beredskab.models import EventKind, System
from beredskab.roles import Role


class Playbook(models.Model):
    key = models.SlugField(_("key"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150)
    event_kind = models.CharField(_("event kind"), max_length=20, choices=EventKind)
    introduction = models.TextField(_("introduction"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("outages:playbook", args=[self.pk])


class PlaybookSection(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("title"), max_length=150)

    class Meta:
        ordering = ["playbook", "position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title


class PlaybookItem(models.Model):
    section = models.ForeignKey(PlaybookSection, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.CharField(_("what to do"), max_length=300)
    owner_role = models.CharField(_("owner role"), max_length=30, choices=Role)

    class Meta:
        ordering = ["section", "position", "pk"]
        verbose_name = _("playbook item")
        verbose_name_plural = _("playbook items")

    def __str__(self) -> str:
        return self.text


class Keep(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class AppendixRow(models.Model):
    """One row of Bilag 1: a function of the citizen service during a power outage."""

    position = models.PositiveSmallIntegerField(_("position"), default=1)
    function = models.CharField(_("function"), max_length=150, unique=True)
    can_keep = models.CharField(_("can be kept up"), max_length=10, choices=Keep)
    workaround = models.TextField(_("how (the workaround)"), blank=True)
    depends_on = models.ManyToManyField(
        System, verbose_name=_("depends on"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position", "function"]
        verbose_name = _("Appendix 1 row")
        verbose_name_plural = _("Appendix 1")

    def __str__(self) -> str:
        return self.function
