"""Forms of the system outage: the report, the declaration, the steps and the close."""

from __future__ import annotations

import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskab.models import System
from outages.models import SystemOutage

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class LocalDateTimeField(forms.DateTimeField):
    """A browser's datetime-local input: no JavaScript, a phone's own picker."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        )
        super().__init__(*args, **kwargs)


class ReportForm(forms.Form):
    system = forms.ModelChoiceField(
        label=_("Which system"),
        queryset=System.objects.all(),
        required=False,
        empty_label=_("I don't know / not in the list"),
    )
    description = forms.CharField(
        label=_("What is not working"),
        max_length=2000,
        widget=TEXTAREA,
        help_text=_("What you tried to do and what happened. No personal data about citizens."),
    )
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("nonce", secrets.token_hex(16))


class DeclareForm(forms.Form):
    down = forms.ModelMultipleChoiceField(
        label=_("Systems that are down"),
        queryset=System.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    degraded = forms.ModelMultipleChoiceField(
        label=_("Systems that are degraded (slow or partly working)"),
        queryset=System.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    began_at = LocalDateTimeField(
        label=_("When the outage began"),
        required=False,
        help_text=_("Leave empty if it began when it was reported."),
    )

    def clean_began_at(self):
        value = self.cleaned_data.get("began_at")
        if value is not None and value > timezone.now():
            raise forms.ValidationError(_("The outage cannot begin in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        down = set(cleaned.get("down") or [])
        degraded = set(cleaned.get("degraded") or [])
        if not down and not degraded:
            self.add_error("down", _("Choose at least one system from the register."))
        elif down & degraded:
            names = ", ".join(sorted(s.name for s in down & degraded))
            self.add_error(
                "degraded",
                _("A system is either down or degraded, not both: %(names)s.") % {"names": names},
            )
        return cleaned

    def systems(self) -> list[tuple[System, str]]:
        down = [(s, "down") for s in self.cleaned_data["down"]]
        return down + [(s, "degraded") for s in self.cleaned_data["degraded"]]


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Why it is not an outage"), max_length=1000, widget=TEXTAREA)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class EtaForm(forms.Form):
    """The expected restoration the supplier gave: after now and after the outage began."""

    eta_required = True

    eta = LocalDateTimeField(label=_("Expected restoration (the supplier's ETA)"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, outage: SystemOutage, **kwargs):
        super().__init__(*args, **kwargs)
        self.outage = outage
        self.fields["eta"].required = self.eta_required

    def clean_eta(self):
        eta = self.cleaned_data.get("eta")
        if eta is None:
            return None
        if eta <= timezone.now():
            raise forms.ValidationError(
                _("The expected restoration cannot be in the past."), code="past"
            )
        began = self.outage.began_at or self.outage.reported_at
        if eta <= began:
            raise forms.ValidationError(
                _("The expected restoration cannot be before the outage began."), code="before"
            )
        return eta


class ContactForm(EtaForm):
    """The step "supplier contacted"; the supplier may not have given an ETA yet."""

    eta_required = False


class CloseForm(forms.Form):
    what_happened = forms.CharField(label=_("What happened"), max_length=4000, widget=TEXTAREA)
    what_worked = forms.CharField(
        label=_("What worked"), max_length=4000, widget=TEXTAREA, required=False
    )
    plan_changes = forms.CharField(
        label=_("What to change in the plan"), max_length=4000, widget=TEXTAREA, required=False
    )
