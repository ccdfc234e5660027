from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from contactcenter.models import (
    ContactChannel,
    RobotIntegration,
    length_problem,
    validate_health_url,
)


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


class CrisisMessageForm(forms.Form):
    body = forms.CharField(
        label=_("What the phone robot says"),
        widget=forms.Textarea(attrs={"rows": 10}),
        strip=True,
        error_messages={"required": _("Write the message the robot should read.")},
    )
    template_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _(
            "Plain Danish sentences, read aloud to citizens. At most %(limit)d characters; "
            "replace everything in [brackets]."
        ) % {"limit": settings.ROBOT_MESSAGE_MAX_LENGTH}

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        problem = length_problem(body)
        if problem:
            raise forms.ValidationError(problem, code="length")
        return body


class IntegrationForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the integration"),
        max_length=100,
        help_text=_("For example: InDialog production."),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if RobotIntegration.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("An integration with this name exists already."))
        return name
