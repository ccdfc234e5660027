from __future__ import annotations

import uuid

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from beredskab.models import Department, MessageTemplate, PressText


class BroadcastForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one department.")},
    )
    include_subunits = forms.BooleanField(
        label=_("Include their units"), required=False, initial=True
    )
    by_sms = forms.BooleanField(label=_("By SMS"), required=False, initial=True)
    by_email = forms.BooleanField(label=_("By e-mail"), required=False, initial=True)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=1600
    )
    is_exercise = forms.BooleanField(label=_("This is an exercise (ØVELSE)"), required=False)
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("nonce", uuid.uuid4().hex)

    def clean(self):
        data = super().clean()
        if not (data.get("by_sms") or data.get("by_email")):
            raise forms.ValidationError(_("Choose SMS, e-mail or both."))
        return data


class PressTextForm(forms.ModelForm):
    class Meta:
        model = PressText
        fields = ["title", "body", "recipients", "is_exercise"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_recipients(self) -> str:
        lines = [
            line.strip() for line in self.cleaned_data["recipients"].splitlines() if line.strip()
        ]
        bad = []
        for line in lines:
            try:
                validate_email(line)
            except forms.ValidationError:
                bad.append(line)
        if bad:
            raise forms.ValidationError(
                _("Not an e-mail address: %(lines)s"), params={"lines": ", ".join(bad)}
            )
        return "\n".join(lines)


def template_initial(purpose: str, key: str | None) -> dict:
    """Subject and text of a message template, to prefill a form."""
    if not key:
        return {}
    template = MessageTemplate.objects.filter(purpose=purpose, key=key).first()
    if template is None:
        return {}
    if purpose == MessageTemplate.Purpose.PRESS:
        return {"title": template.subject or template.name, "body": template.body}
    return {"subject": template.subject or template.name, "body": template.body}
