"""Forms of the booking-cancellation campaign: start, bookings, columns, message,
confirmation (with the password again), retry."""

from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskab.forms.fields import DateTimeInput, TableFileField
from beredskab.reauth import ReauthMixin
from outages.models import LIVE, PowerOutage, SystemOutage
from outages.services import campaigns as service
from outages.services.campaign_import import FIELD_LABELS, FIELDS, MAX_PASTED


def running_outages() -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = [("", _("None"))]
    for outage in PowerOutage.objects.exclude(status="closed")[:20]:
        choices.append((f"power:{outage.pk}", str(outage)))
    for outage in SystemOutage.objects.filter(status__in=LIVE).order_by("-reported_at")[:20]:
        choices.append((f"system:{outage.pk}", str(outage)))
    return choices


class CampaignStartForm(forms.Form):
    period_start = forms.DateTimeField(label=_("Bookings from"), widget=DateTimeInput())
    period_end = forms.DateTimeField(label=_("Bookings until"), widget=DateTimeInput())
    place = forms.CharField(
        label=_("Location or service"),
        max_length=150,
        help_text=_("E.g. Borgerservice, Rådhuset. Citizens see it as {sted}."),
    )
    reason = forms.CharField(
        label=_("Why the bookings are cancelled"),
        max_length=300,
        help_text=_("For the report; the SMS says what you write in it."),
    )
    outage = forms.ChoiceField(label=_("Because of the outage"), required=False)
    is_exercise = forms.BooleanField(
        label=_("This is an exercise"),
        required=False,
        help_text=_(
            "Sends only to the numbers on the exercise test list; the rest are only counted."
        ),
    )
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outage"].choices = running_outages()
        if not self.is_bound:
            self.initial.setdefault("nonce", secrets.token_hex(16))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", _("The period must end after it starts."))
        choice = cleaned.get("outage") or ""
        cleaned["power_outage"] = cleaned["system_outage"] = None
        if choice.startswith("power:"):
            cleaned["power_outage"] = PowerOutage.objects.filter(pk=choice[6:]).first()
        elif choice.startswith("system:"):
            cleaned["system_outage"] = SystemOutage.objects.filter(pk=choice[7:]).first()
        return cleaned


class UploadForm(forms.Form):
    file = TableFileField(
        label=_("The booking system's export (CSV)"),
        help_text=_(
            "One row per booking, with a header row. Separated by semicolon, comma or tab; "
            "UTF-8 or Windows-1252."
        ),
    )


class PasteForm(forms.Form):
    numbers = forms.CharField(
        label=_("Or paste mobile numbers"),
        help_text=_(
            "One number a line, with or without +45. Only Danish numbers; premium-rate, "
            "toll-free and short numbers are refused."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_PASTED * 20,
    )


class MappingForm(forms.Form):
    """One choice per field among the file's column titles; the mobile is required."""

    def __init__(self, *args, header: list[str], initial_mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in the file)"))] + [(t, t) for t in header if t]
        for name in FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=FIELD_LABELS[name],
                choices=choices,
                required=name == "mobile",
                initial=initial_mapping.get(name, ""),
                error_messages={
                    "required": _("Choose the column that holds the mobile number."),
                    "invalid_choice": _("Choose one of the file's columns."),
                },
            )

    def clean(self):
        cleaned = super().clean()
        chosen = [v for v in cleaned.values() if v]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("Each column can hold only one thing."))
        return cleaned

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in FIELDS if self.cleaned_data.get(name)}


class ComposeForm(forms.Form):
    template = forms.CharField(
        label=_("Message"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    rebook = forms.CharField(
        label=_("How to book again"),
        max_length=200,
        required=False,
        help_text=_("Shown as {genbook}, e.g. 'ring 70 10 20 30'."),
    )

    def clean(self):
        cleaned = super().clean()
        template = cleaned.get("template", "")
        # An empty field would leave every SMS reading "Du kan booke en ny tid: ."
        if "{genbook}" in template and not cleaned.get("rebook", "").strip():
            self.add_error(
                "rebook",
                _("Say how citizens book again: the message uses {genbook}."),
            )
        return cleaned

    def clean_template(self):
        template = self.cleaned_data["template"].strip()
        unknown = service.unknown_placeholders(template)
        if unknown:
            raise forms.ValidationError(
                _("Unknown placeholder: %(names)s. Use the ones listed below."),
                params={"names": ", ".join(f"{{{n}}}" for n in unknown)},
            )
        return template


class PasswordForm(ReauthMixin, forms.Form):
    """Confirm a mass send (or approve one) with the password again (beredskab.reauth:
    failures count toward the login's lock-out; not asked again inside its window)."""

    message = forms.IntegerField(widget=forms.HiddenInput)


class FlagsForm(forms.Form):
    """One decision per flagged imported value: confirm it, exclude its row, or later."""

    CHOICES = [
        ("", _("Decide later")),
        ("confirmed", _("Confirm the value: send it as it is")),
        ("excluded", _("Exclude the row: no SMS for this booking")),
    ]

    def __init__(self, *args, flags, **kwargs):
        super().__init__(*args, **kwargs)
        self.flags = list(flags)
        for flag in self.flags:
            self.fields[f"flag-{flag.pk}"] = forms.ChoiceField(
                label=_("Row %(row)s, %(field)s")
                % {"row": flag.row, "field": FIELD_LABELS.get(flag.field, flag.field)},
                choices=self.CHOICES,
                required=False,
                error_messages={"invalid_choice": _("Choose one of the decisions.")},
            )

    def decisions(self) -> dict[int, str]:
        return {
            flag.pk: self.cleaned_data[f"flag-{flag.pk}"]
            for flag in self.flags
            if self.cleaned_data.get(f"flag-{flag.pk}")
        }


class RetryForm(forms.Form):
    message = forms.IntegerField(widget=forms.HiddenInput)
    round = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
