"""Forms of the emergency mode and of the sign-in by SMS code."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from beredskab.reauth import ReauthMixin


class EmergencyModeForm(ReauthMixin, forms.Form):
    hours = forms.IntegerField(
        label=_("Number of hours"),
        min_value=1,
        help_text=_("The mode ends by itself after this many hours."),
        error_messages={
            "required": _("Enter for how many hours."),
            "invalid": _("Enter a whole number of hours."),
            "min_value": _("At least 1 hour."),
            "max_value": _("At most %(limit_value)s hours."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("For the timeline, e.g. 'Entra ID is down since 07:40'."),
        error_messages={"required": _("Say why the mode is needed.")},
    )
    field_order = ["hours", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.EMERGENCY_MODE_MAX_HOURS
        hours = self.fields["hours"]
        hours.max_value = limit
        hours.validators.append(MaxValueValidator(limit))
        hours.widget.attrs.update({"min": 1, "max": limit})
        self.order_fields(self.field_order)


class SmsLoginRequestForm(forms.Form):
    identifier = forms.CharField(
        label=_("Username or mobile number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        error_messages={"required": _("Enter your username or your mobile number.")},
    )


class SmsLoginCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from SMS"),
        regex=r"^\s*\d{6}\s*$",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 6}
        ),
        error_messages={
            "required": _("Enter the six-digit code from the SMS."),
            "invalid": _("The code is six digits."),
        },
    )
