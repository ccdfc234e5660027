from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskab.cpr import mask_cpr
from beredskab.models import RunStatus


class CloseRunForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Close as"),
        choices=[(RunStatus.RESOLVED, _("Resolved")), (RunStatus.CANCELLED, _("Cancelled"))],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_reason(self) -> str:
        reason = mask_cpr(self.cleaned_data["reason"].strip())
        if not reason:
            raise forms.ValidationError(_("Write why the escalation is closed."))
        return reason


class TickForm(forms.Form):
    item = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def clean_note(self) -> str:
        return mask_cpr(self.cleaned_data["note"].strip())


class TestChainForm(forms.Form):
    include_external = forms.BooleanField(
        label=_("Also notify external steps (the DPO, suppliers)"), required=False
    )
