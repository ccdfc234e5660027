from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskab.models import Department, MediaOutlet, MessageTemplate
from beredskab.reauth import ReauthMixin
from beredskab.roles import Role


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
    excluded_roles = forms.MultipleChoiceField(
        label=_("Leave out people with these roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For example the beredskabsgruppe, who stay when everyone else goes home."),
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


class PressTextForm(forms.Form):
    title = forms.CharField(label=_("Headline"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    outlets = forms.ModelMultipleChoiceField(
        label=_("Media"),
        queryset=MediaOutlet.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Press texts go only to the media list kept by the contact centre leader."),
        error_messages={
            "required": _("Choose at least one outlet from the media list."),
            "invalid_choice": _("Choose outlets from the media list only."),
            "invalid_pk_value": _("Choose outlets from the media list only."),
        },
    )
    is_exercise = forms.BooleanField(label=_("This is an exercise (ØVELSE)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlets"].queryset = MediaOutlet.objects.active()
        if not self.is_bound:
            self.initial.setdefault("outlets", list(MediaOutlet.objects.active()))

    def clean(self):
        data = super().clean()
        # The old form took free addresses; a client still sending them is told why
        # nothing goes there instead of the field being silently dropped.
        if self.data.get("recipients", "").strip():
            raise forms.ValidationError(
                _(
                    "Press texts go only to outlets on the media list; free e-mail addresses "
                    "are not allowed. Ask the contact centre leader to add the outlet."
                ),
                code="free_address",
            )
        return data


class MediaOutletForm(ReauthMixin, forms.ModelForm):
    class Meta:
        model = MediaOutlet
        fields = ["name", "email", "active"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        taken = MediaOutlet.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This address is on the media list already."))
        return email


def template_initial(purpose: str, key: str | None) -> dict:
    """Subject and text of a message template, to prefill a form."""
    if not key:
        return {}
    template = MessageTemplate.objects.filter(purpose=purpose, key=key).first()
    if template is None:
        return {}
    if purpose == MessageTemplate.Purpose.PRESS:
        return {"title": template.subject or template.name, "body": template.body}
    return {
        "subject": template.subject or template.name,
        "body": template.body,
        "excluded_roles": list(template.excluded_roles),
    }
