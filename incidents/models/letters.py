"""Letters to the people affected by a breach (GDPR art. 34), and the address list.

Both are personal data: read like the incident, changed by who manages the log, and
purged with the incident's personal data (incidents/retention.py).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.models.incident import Incident


class LetterChannel(models.TextChoices):
    DIGITAL_POST = "digital_post", _("Digital Post")
    PAPER = "paper", _("Paper letter")


class LetterText(models.Model):
    """The letter's five parts (art. 34(2) with art. 33(3)(b)-(d)), in plain Danish,
    and the public communication used instead when art. 34(3)(c) applies."""

    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="letter")
    what_happened = models.TextField(_("what happened"))
    consequences = models.TextField(_("the likely consequences"))
    measures = models.TextField(_("what the municipality has done"))
    advice = models.TextField(_("what you can do"))
    contact = models.TextField(_("whom to contact"))
    public_communication = models.TextField(
        _("public communication (art. 34(3)(c))"),
        blank=True,
        help_text=_(
            "Instead of letters, when telling each person would take a disproportionate effort."
        ),
    )
    updated_at = models.DateTimeField(_("changed"))
    updated_by_text = models.CharField(_("changed by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("letter to the people affected")
        verbose_name_plural = _("letters to the people affected")

    def __str__(self) -> str:
        return f"{self.incident_id}: letter"


class LetterRecipient(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="letter_recipients"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"))
    added_at = models.DateTimeField(_("added"))
    sent_on = models.DateField(_("sent"), null=True, blank=True)
    sent_via = models.CharField(_("sent by"), max_length=20, choices=LetterChannel, blank=True)

    class Meta:
        ordering = ["incident", "pk"]
        verbose_name = _("person to write to")
        verbose_name_plural = _("people to write to")

    def __str__(self) -> str:
        return self.name
