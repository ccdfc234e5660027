from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from beredskab.reauth import ReauthMixin
from contactcenter.models import (
    CentreLocation,
    ContactChannel,
    Reachability,
    RobotIntegration,
    length_problem,
    validate_forwarding_number,
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


class IntegrationForm(ReauthMixin, forms.Form):
    """A new robot token: whoever holds it reads the crisis message, so re-authenticate."""

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


class ReachabilityForm(ReauthMixin, forms.Form):
    """Where calls are put through to (any employee may declare it): re-authenticate,
    Danish numbers only, for at most CONTACT_REACHABLE_HOURS."""

    where = forms.ChoiceField(
        label=_("Where are you?"), choices=Reachability.Where.choices, widget=forms.RadioSelect
    )
    how = forms.ChoiceField(
        label=_("How can calls reach you?"),
        choices=Reachability.How.choices,
        widget=forms.RadioSelect,
    )
    number = PhoneNumberField(
        label=_("Number to put calls through to"),
        region="DK",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages={"invalid": _("Enter a valid phone number, e.g. 20 12 34 56.")},
        validators=[validate_forwarding_number],
    )
    until = forms.DateTimeField(
        label=_("Reachable until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["until"].help_text = _(
            "At most %(hours)s hours ahead. Empty: %(hours)s hours from now."
        ) % {"hours": settings.CONTACT_REACHABLE_HOURS}

    def clean_until(self):
        until = self.cleaned_data.get("until")
        if until is None:
            return None
        now = timezone.now()
        if until <= now:
            raise forms.ValidationError(_("Choose a time in the future."))
        if until > now + timedelta(hours=settings.CONTACT_REACHABLE_HOURS):
            raise forms.ValidationError(
                _("At most %(hours)s hours ahead: declare again when the time runs out.")
                % {"hours": settings.CONTACT_REACHABLE_HOURS}
            )
        return until


class LocationForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Where does the centre work?"),
        choices=CentreLocation.Mode.choices,
        widget=forms.RadioSelect,
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the centre has moved."),
    )
    hotspots = forms.CharField(
        label=_("Battery hotspots available"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How many, where they are, who has them."),
    )
    expected_answer_at = forms.DateTimeField(
        label=_("Expected to answer calls again"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Said on the fallback voice line when nobody can take the call."),
    )

    def clean(self):
        data = super().clean()
        if data.get("mode") == CentreLocation.Mode.RELOCATED and not data.get("address"):
            self.add_error("address", _("Say where the centre has moved to."))
        return data
