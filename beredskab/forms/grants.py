"""Forms for role grants. Each asks for the password again (beredskab.reauth) outside
the re-authentication window: granting and deciding on power is a dangerous act."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskab.cpr import mask_cpr
from beredskab.reauth import ReauthMixin
from beredskab.roles import Role


class _Reason:
    def clean_reason(self) -> str:
        return mask_cpr(self.cleaned_data.get("reason", "").strip())


class GrantForm(_Reason, ReauthMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=())
    reason = forms.CharField(
        label=_("Why"),
        max_length=300,
        required=False,
        help_text=_("Told to the person, the admins and the second person."),
    )

    def __init__(self, *args, grantable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Choose a role"))] + [
            (role.value, role.label) for role in Role if role.value in set(grantable)
        ]
        self.fields["role"].error_messages["invalid_choice"] = _(
            "You may not grant this role to this person, or they already have it."
        )
        # The password last, after what is asked.
        self.order_fields(["role", "reason", self.reauth_field])


class DecisionForm(_Reason, ReauthMixin, forms.Form):
    APPROVE, REFUSE = "approve", "refuse"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (REFUSE, _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Why (when refusing)"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].error_messages["required"] = _("Choose approve or refuse.")
        self.order_fields(["decision", "reason", self.reauth_field])


class RemoveForm(ReauthMixin, forms.Form):
    """Only the re-authentication: the role to remove is in the URL."""
