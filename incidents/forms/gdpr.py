"""Forms for the severity assessment, the decision, submissions and notification facts."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.forms.fields import LocalDateTimeField
from incidents.models import Answer, Decision, Incident, NotificationPhase
from incidents.models.gdpr import CB_CHOICES, EI_CHOICES, MALICE_CHOICES, DataType

ADJUSTMENTS = [
    (Decimal("-1"), _("−1: the context makes the data much less harmful")),
    (Decimal("-0.5"), _("−0.5: somewhat less harmful")),
    (Decimal("0"), _("No adjustment")),
    (Decimal("0.5"), _("+0.5: somewhat more harmful")),
    (Decimal("1"), _("+1: the context makes the data much more harmful")),
]


def _decimal_choice(label, choices, **kwargs):
    return forms.TypedChoiceField(
        label=label,
        choices=[(str(value), text) for value, text in choices],
        coerce=Decimal,
        widget=forms.RadioSelect,
        **kwargs,
    )


class AssessmentForm(forms.Form):
    data_type = forms.TypedChoiceField(
        label=_("Kind of data (basic DPC score)"),
        choices=DataType.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    adjustment = _decimal_choice(_("Adjustment for the context"), ADJUSTMENTS, initial="0")
    dpc_reason = forms.CharField(
        label=_("Why adjusted"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    ei = _decimal_choice(_("Ease of identification (EI)"), EI_CHOICES)
    cb_confidentiality = _decimal_choice(_("Loss of confidentiality"), CB_CHOICES, initial="0.00")
    cb_integrity = _decimal_choice(_("Loss of integrity"), CB_CHOICES, initial="0.00")
    cb_availability = _decimal_choice(_("Loss of availability"), CB_CHOICES, initial="0.00")
    cb_malicious = _decimal_choice(_("Malicious intent"), MALICE_CHOICES, initial="0.00")
    reasoning = forms.CharField(
        label=_("Reasoning"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self):
        cleaned = super().clean()
        data_type, adjustment = cleaned.get("data_type"), cleaned.get("adjustment")
        if data_type is not None and adjustment is not None:
            dpc = Decimal(data_type) + adjustment
            cleaned["dpc"] = dpc
            if not Decimal(1) <= dpc <= Decimal(4):
                self.add_error("adjustment", _("The adjusted DPC must stay between 1 and 4."))
            elif adjustment and not cleaned.get("dpc_reason", "").strip():
                self.add_error("dpc_reason", _("Say why the context changes the score."))
        return cleaned

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("adjustment")
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Decision.NOTIFY, Decision.NOTIFY.label),
            (Decision.NOT_NOTIFY, _("Do not notify Datatilsynet (document only)")),
        ],
        widget=forms.RadioSelect,
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Also when not notifying: “not notified because …” (art. 33(5))."),
    )
    inform_subjects = forms.ChoiceField(
        label=_("Inform the people affected (art. 34)?"),
        choices=Answer.choices,
        initial=Answer.UNKNOWN,
        widget=forms.RadioSelect,
    )


class NotificationForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=NotificationPhase.choices)
    submitted_at = LocalDateTimeField(label=_("Submitted to Datatilsynet"))
    receipt_number = forms.CharField(label=_("Datatilsynet's receipt number"), max_length=100)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FactsForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = [
            "personal_data",
            "people_affected",
            "data_categories",
            "subject_categories",
            "records_affected",
            "consequences",
            "measures",
            "delay_reason",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "data_categories",
                "subject_categories",
                "consequences",
                "measures",
                "delay_reason",
            )
        }
