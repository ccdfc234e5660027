"""The escalation chain form and its ordered steps (an inline formset)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beredskab.cpr import mask_cpr
from beredskab.forms.fields import RoleChoiceField, label_like_model
from beredskab.models import EscalationChain, EscalationStep, Person
from beredskab.roles import Role


class ChainForm(forms.ModelForm):
    class Meta:
        model = EscalationChain
        fields = ["name", "event_kind", "description", "is_active"]

    def clean_description(self) -> str:
        return mask_cpr(self.cleaned_data["description"])

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = EscalationChain.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("An escalation chain with this name already exists."))
        return name


class StepForm(forms.ModelForm):
    notify_roles = RoleChoiceField(queryset=Group.objects.none(), required=False)
    ack_timeout_minutes = forms.IntegerField(
        min_value=1,
        max_value=7 * 24 * 60,
        initial=15,
        error_messages={
            "min_value": _("The timeout must be at least 1 minute."),
            "max_value": _("The timeout can be at most one week (10080 minutes)."),
            "invalid": _("Write the timeout as a whole number of minutes."),
        },
    )

    class Meta:
        model = EscalationStep
        fields = [
            "name",
            "notify_roles",
            "notify_people",
            "notify_nearest_leader",
            "by_sms",
            "by_email",
            "is_external",
            "ack_timeout_minutes",
            "checklist",
        ]
        widgets = {
            "notify_people": forms.SelectMultiple(attrs={"size": 6}),
            "checklist": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_like_model(self)
        self.fields["notify_roles"].queryset = Group.objects.filter(name__in=Role.values).order_by(
            "name"
        )
        # Offer active people, and keep anyone already named who has since left, so
        # saving the chain does not fail on a choice the user never touched.
        named = Q(pk__in=self.instance.notify_people.all()) if self.instance.pk else Q(pk=None)
        self.fields["notify_people"].queryset = Person.objects.filter(
            Q(is_active=True) | named
        ).order_by("name", "pk")

    def clean_checklist(self) -> str:
        return mask_cpr(self.cleaned_data["checklist"])

    def clean(self):
        cleaned = super().clean()
        # "Neither SMS nor e-mail" is the model's rule (EscalationStep.clean).
        if not (
            cleaned.get("notify_roles")
            or cleaned.get("notify_people")
            or cleaned.get("notify_nearest_leader")
        ) and not self.errors.get("notify_roles"):
            self.add_error(
                "notify_roles",
                _("Choose whom this step notifies: roles, named people or the nearest leader."),
            )
        return cleaned


class BaseStepFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        if not kept:
            raise ValidationError(_("Add at least one step to the chain."), code="no_steps")


StepFormSet = forms.inlineformset_factory(
    EscalationChain,
    EscalationStep,
    form=StepForm,
    formset=BaseStepFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
)
