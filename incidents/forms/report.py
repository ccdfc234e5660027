"""The report form: short, phone-friendly, and every question may be answered "ved ikke"."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskab.models import System
from incidents.forms.fields import AttachmentsField, LocalDateTimeField
from incidents.models import Answer, IncidentKind, PeopleAffected

NONCE = re.compile(r"^[0-9a-f]{32}$")


class ReportForm(forms.Form):
    description = forms.CharField(
        label=_("What happened?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Describe it in your own words. Do not write CPR numbers: they are removed anyway."
        ),
    )
    kind = forms.ChoiceField(
        label=_("What kind of incident is it?"),
        choices=IncidentKind.choices,
        initial=IncidentKind.OTHER,
        required=False,
        widget=forms.RadioSelect,
    )
    occurred_at = LocalDateTimeField(
        label=_("When did it happen?"),
        required=False,
        help_text=_("Leave empty if you do not know."),
    )
    discovered_at = LocalDateTimeField(
        label=_("When was it discovered?"),
        required=False,
        help_text=_("Leave empty if you do not know."),
    )
    systems = forms.ModelMultipleChoiceField(
        label=_("Which systems are involved?"),
        queryset=System.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none if you do not know."),
    )
    personal_data = forms.ChoiceField(
        label=_("May personal data be involved?"),
        choices=Answer.choices,
        initial=Answer.UNKNOWN,
        required=False,
        widget=forms.RadioSelect,
    )
    people_affected = forms.ChoiceField(
        label=_("Roughly how many people may be affected?"),
        choices=PeopleAffected.choices,
        initial=PeopleAffected.UNKNOWN,
        required=False,
    )
    ongoing = forms.ChoiceField(
        label=_("Is it still going on?"),
        choices=Answer.choices,
        initial=Answer.UNKNOWN,
        required=False,
        widget=forms.RadioSelect,
    )
    attachments = AttachmentsField(
        label=_("Screenshots or saved e-mails (optional)"),
        help_text=_("Up to 5 files of at most 5 MB each: PNG, JPEG, GIF, PDF, EML, MSG or TXT."),
    )
    nonce = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or IncidentKind.OTHER

    def clean_personal_data(self) -> str:
        return self.cleaned_data.get("personal_data") or Answer.UNKNOWN

    def clean_people_affected(self) -> str:
        return self.cleaned_data.get("people_affected") or PeopleAffected.UNKNOWN

    def clean_ongoing(self) -> str:
        return self.cleaned_data.get("ongoing") or Answer.UNKNOWN

    def clean_nonce(self) -> str:
        # A value the portal did not make is ignored rather than trusted.
        value = self.cleaned_data.get("nonce") or ""
        return value if NONCE.match(value) else ""

    def clean(self):
        cleaned = super().clean()
        occurred, discovered = cleaned.get("occurred_at"), cleaned.get("discovered_at")
        if occurred and discovered and discovered < occurred:
            self.add_error("discovered_at", _("It cannot have been discovered before it happened."))
        return cleaned
