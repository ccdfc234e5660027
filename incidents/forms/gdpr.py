"""Forms for the severity assessment, the decision, the DPO's advice, submissions and
the notification and risk facts."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.forms.fields import LocalDateTimeField
from incidents.models import Answer, Decision, DpcFactor, Incident, NoRiskReason, NotificationPhase
from incidents.models.gdpr import CB_CHOICES, EI_CHOICES, MALICE_CHOICES, DataType
from incidents.models.risk import RISK_FIELDS, RiskFacts
from incidents.services import IncidentError
from incidents.services.assessment import Adjustment, adjusted_dpc

ADJUSTMENT_ROWS = 3
ADJUSTMENT_FIELDS = ("factor", "change", "reason")


def _decimal_choice(label, choices, **kwargs):
    return forms.TypedChoiceField(
        label=label,
        choices=[(str(value), text) for value, text in choices],
        coerce=Decimal,
        widget=forms.RadioSelect,
        **kwargs,
    )


class AssessmentForm(forms.Form):
    """ENISA's inputs. The DPC starts from the kind of data and each adjustment row
    raises or lowers it by its context, to any value from 1 to 4 (ENISA 2013)."""

    data_type = forms.TypedChoiceField(
        label=_("Kind of data (basic DPC score)"),
        choices=DataType.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    ei = _decimal_choice(_("Ease of identification (EI)"), EI_CHOICES)
    cb_confidentiality = _decimal_choice(_("Loss of confidentiality"), CB_CHOICES, initial="0.00")
    cb_integrity = _decimal_choice(_("Loss of integrity"), CB_CHOICES, initial="0.00")
    cb_availability = _decimal_choice(_("Loss of availability"), CB_CHOICES, initial="0.00")
    cb_malicious = _decimal_choice(_("Malicious intent"), MALICE_CHOICES, initial="0.00")
    reasoning = forms.CharField(
        label=_("Reasoning"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, ADJUSTMENT_ROWS + 1):
            self.fields[f"factor_{i}"] = forms.ChoiceField(
                label=_("Adjustment %(n)s: factor") % {"n": i},
                choices=[("", "–"), *DpcFactor.choices],
                required=False,
            )
            self.fields[f"change_{i}"] = forms.DecimalField(
                label=_("Adjustment %(n)s: change to the DPC (e.g. 3 or −0.5)") % {"n": i},
                required=False,
                max_digits=3,
                decimal_places=2,
                min_value=-3,
                max_value=3,
                widget=forms.NumberInput(attrs={"step": "0.25"}),
            )
            self.fields[f"reason_{i}"] = forms.CharField(
                label=_("Adjustment %(n)s: reason") % {"n": i},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def main_fields(self):
        """The fields before the adjustment rows (the class's own fields)."""
        return [self[name] for name in self.base_fields]

    def adjustment_rows(self):
        return [
            {
                "number": i,
                "fields": [self[f"{name}_{i}"] for name in ADJUSTMENT_FIELDS],
            }
            for i in range(1, ADJUSTMENT_ROWS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        adjustments = []
        for i in range(1, ADJUSTMENT_ROWS + 1):
            factor = cleaned.get(f"factor_{i}") or ""
            change = cleaned.get(f"change_{i}")
            reason = (cleaned.get(f"reason_{i}") or "").strip()
            if not (factor or change or reason):
                continue
            if not factor:
                self.add_error(f"factor_{i}", _("Name the factor behind this adjustment."))
            if not change:
                self.add_error(f"change_{i}", _("Say how much this factor changes the DPC."))
            if not reason:
                self.add_error(f"reason_{i}", _("Give the reason for this adjustment."))
            if factor and change and reason:
                adjustments.append(Adjustment(factor=factor, change=change, reason=reason))
        cleaned["adjustments"] = adjustments
        data_type = cleaned.get("data_type")
        if data_type is not None and not self.errors:
            try:
                cleaned["dpc"] = adjusted_dpc(data_type, adjustments)
            except IncidentError:
                self.add_error(
                    None,
                    _("The adjusted DPC must stay between 1 and 4 (it is now %(dpc)s).")
                    % {"dpc": Decimal(data_type) + sum(a.change for a in adjustments)},
                )
        return cleaned

    def service_kwargs(self) -> dict:
        names = (*self.base_fields, "adjustments")
        return {name: self.cleaned_data[name] for name in names}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Decision.NOTIFY, Decision.NOTIFY.label),
            (Decision.NOT_NOTIFY, _("Do not notify Datatilsynet (document only)")),
        ],
        widget=forms.RadioSelect,
    )
    no_risk_reason = forms.ChoiceField(
        label=_("If not notifying: why is the breach unlikely to result in a risk?"),
        choices=NoRiskReason.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("GDPR art. 33(1): notify unless the breach is unlikely to result in a risk."),
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

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Decision.NOT_NOTIFY and not cleaned.get("no_risk_reason"):
            self.add_error(
                "no_risk_reason",
                _(
                    "“Document only” needs the reason why the breach is unlikely to result "
                    "in a risk. Otherwise notify Datatilsynet."
                ),
            )
        return cleaned


class AdviceForm(forms.Form):
    notify_authority = forms.ChoiceField(
        label=_("Notify Datatilsynet?"),
        choices=[(Answer.YES, _("Yes")), (Answer.NO, _("No"))],
        widget=forms.RadioSelect,
    )
    inform_subjects = forms.ChoiceField(
        label=_("Inform the people affected (art. 34)?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
    )
    reasoning = forms.CharField(
        label=_("Reasoning"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
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


class RiskFactsForm(forms.ModelForm):
    """What the recommendation is judged on (incidents.recommend)."""

    class Meta:
        model = RiskFacts
        fields = list(RISK_FIELDS)
        widgets = {name: forms.RadioSelect for name in RISK_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def clean(self):
        # A question left out keeps its answer (a new row: "not known yet").
        cleaned = super().clean()
        for name in self.Meta.fields:
            if not cleaned.get(name):
                cleaned[name] = getattr(self.instance, name)
        return cleaned
