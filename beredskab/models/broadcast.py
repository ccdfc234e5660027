"""Messages to the staff of chosen departments, and press texts for the media.

Both go through the outbox and on the timeline. A feature (an outage, the contact
centre) ties them to its event with `context_key`, e.g. "outage:12", so the core
never needs to know who uses it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageTemplate(models.Model):
    class Purpose(models.TextChoices):
        BROADCAST = "broadcast", _("Message to departments")
        PRESS = "press", _("Press text")

    key = models.SlugField(_("key"), max_length=60, unique=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose)
    name = models.CharField(_("name"), max_length=150)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    owner_app = models.CharField(
        _("owner"), max_length=40, blank=True, help_text=_("The part of the portal it belongs to.")
    )

    class Meta:
        ordering = ["purpose", "name"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")

    def __str__(self) -> str:
        return self.name


class Broadcast(models.Model):
    departments = models.ManyToManyField(
        "beredskab.Department", verbose_name=_("departments"), related_name="+"
    )
    include_subunits = models.BooleanField(_("include their units"), default=True)
    by_sms = models.BooleanField(_("by SMS"), default=True)
    by_email = models.BooleanField(_("by e-mail"), default=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    context_key = models.CharField(_("event"), max_length=60, blank=True, db_index=True)
    is_exercise = models.BooleanField(_("exercise"), default=False)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    # From the form that sent it: a double click or a second tab sends nothing more.
    nonce = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    created_by_text = models.CharField(_("sent by"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message to departments")
        verbose_name_plural = _("messages to departments")

    def __str__(self) -> str:
        return self.subject

    @property
    def group_key(self) -> str:
        return f"broadcast:{self.pk}"


class PressText(models.Model):
    title = models.CharField(_("headline"), max_length=200)
    body = models.TextField(_("text"))
    recipients = models.TextField(
        _("media e-mail addresses"), blank=True, help_text=_("One address per line.")
    )
    context_key = models.CharField(_("event"), max_length=60, blank=True, db_index=True)
    is_exercise = models.BooleanField(_("exercise"), default=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    created_by_text = models.CharField(_("written by"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("press text")
        verbose_name_plural = _("press texts")

    def __str__(self) -> str:
        return self.title

    @property
    def group_key(self) -> str:
        return f"press:{self.pk}"

    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]
