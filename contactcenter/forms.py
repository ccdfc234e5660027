from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from contactcenter.models import ContactChannel, validate_health_url


class ChannelStateForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=ContactChannel.State.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What callers experience, what is being done, when it is expected back."),
    )


class HealthUrlForm(forms.Form):
    health_url = forms.URLField(
        label=_("Health URL"),
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[validate_health_url],
        help_text=_("Leave empty for no automatic check."),
    )
