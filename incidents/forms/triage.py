"""Forms on the incident page: a status transition, the awareness moment, the taskforce."""

from __future__ import annotations

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from incidents.forms.fields import LocalDateTimeField
from incidents.models import Answer, IncidentStatus


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=IncidentStatus.choices)
    reason = forms.CharField(
        label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident = incident
        allowed = incident.allowed_transitions()
        self.fields["to"].choices = [(s, IncidentStatus(s).label) for s in allowed]
        self.fields["to"].error_messages["invalid_choice"] = _(
            "The incident cannot move from “%(status)s” to that status."
        ) % {"status": incident.get_status_display()}


class AwarenessForm(forms.Form):
    aware_at = LocalDateTimeField(
        label=_("Became aware of the breach"),
        help_text=_("The 72-hour deadline counts from this moment."),
    )
    reason = forms.CharField(
        label=_("Why is it changed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, incident=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident = incident

    def clean_aware_at(self):
        aware_at = self.cleaned_data["aware_at"]
        if self.incident is not None and aware_at > self.incident.reported_at:
            raise forms.ValidationError(
                _("Awareness cannot be after the report (%(reported)s).")
                % {
                    "reported": formats.date_format(
                        timezone.localtime(self.incident.reported_at), "DATETIME_FORMAT"
                    )
                },
                code="after_report",
            )
        return aware_at


class TaskforceForm(forms.Form):
    taskforce = forms.ChoiceField(
        label=_("Set up a taskforce?"),
        choices=[(Answer.YES, _("Yes")), (Answer.NO, _("No"))],
        widget=forms.RadioSelect,
    )
    members = forms.CharField(
        label=_("Members"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("Reasons"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("taskforce") == Answer.YES and not cleaned.get("members", "").strip():
            self.add_error("members", _("Name the taskforce's members."))
        return cleaned
