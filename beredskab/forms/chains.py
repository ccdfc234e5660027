"""The escalation chain form and its ordered steps (an inline formset)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beredskab.cpr import mask_cpr
from beredskab.forms.fields import RoleChoiceField, label_like_model
from beredskab.models import Completion, EscalationChain, EscalationStep, Person
from beredskab.models.chains import position_label
from beredskab.models.escalation_states import LEADER, person_position, role_position
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
    positions = forms.MultipleChoiceField(
        label=_("Positions that must acknowledge"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            'Only with "each position": each one must be acknowledged by someone who fills it.'
        ),
    )
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
            "completion",
            "positions",
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
        # A form that does not send the rule (an older page) keeps "anyone".
        self.fields["completion"].required = False
        # A position is the nearest leader, a holder of a role, or a person on the step.
        self.fields["positions"].choices = (
            [(LEADER, position_label(LEADER))]
            + [(role_position(name), position_label(role_position(name))) for name in Role.values]
            + [
                (person_position(p.pk), p.name)
                for p in self.fields["notify_people"].queryset.only("pk", "name")
            ]
        )

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
        self._check_positions(cleaned)
        return cleaned

    def has_changed(self) -> bool:
        # An empty extra step that does not send the rule is still empty.
        changed = set(self.changed_data)
        if not self.data.get(self.add_prefix("completion")):
            changed.discard("completion")
        return bool(changed)

    def clean_completion(self) -> str:
        return self.cleaned_data.get("completion") or Completion.ANYONE

    def _check_positions(self, cleaned: dict) -> None:
        """With "each position", every position must be one that somebody the step
        tells can fill; otherwise the step could never be acknowledged."""
        if cleaned.get("completion") != Completion.EACH_POSITION:
            cleaned["positions"] = []
            return
        positions = cleaned.get("positions") or []
        if not positions:
            self.add_error("positions", _("Choose the positions that must acknowledge."))
            return
        roles = {group.name for group in cleaned.get("notify_roles") or []}
        named = {p.pk for p in cleaned.get("notify_people") or [] if p.is_active}
        # Who the step reaches by role or by name, and which roles each of them holds.
        reached = Person.objects.active().filter(Q(roles__name__in=roles) | Q(pk__in=named))
        held = set(reached.values_list("pk", "roles__name"))
        for key in positions:
            kind, _sep, value = key.partition(":")
            if key == LEADER:
                fillable = bool(cleaned.get("notify_nearest_leader"))
            elif kind == "role":
                fillable = any(role == value for _pk, role in held)
            else:
                fillable = value.isdigit() and any(pk == int(value) for pk, _role in held)
            if not fillable:
                self.add_error(
                    "positions",
                    _("Nobody on this step can fill the position %(position)s.")
                    % {"position": position_label(key)},
                )


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
