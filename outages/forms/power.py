"""Forms of the power outage, the playbooks and Appendix 1."""

from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from outages.models import AppendixRow, ItemState, PlaybookItem, PlaybookSection, PowerOutage


class PowerDeclareForm(forms.Form):
    title = forms.CharField(
        label=_("Where and what"),
        max_length=150,
        help_text=_("E.g. No power in the town hall, building B."),
    )
    meeting_point = forms.CharField(
        label=_("Meeting point for the beredskabsgruppe"), max_length=150
    )
    instructions = forms.CharField(
        label=_("First instructions"),
        max_length=120,
        required=False,
        help_text=_("Sent by SMS with the meeting point. Keep it short."),
    )
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("nonce", secrets.token_hex(16))


class SettleForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Mark as"),
        choices=[(ItemState.DONE, _("Done")), (ItemState.NOT_APPLICABLE, _("Not applicable"))],
        widget=forms.RadioSelect,
        initial=ItemState.DONE,
    )
    note = forms.CharField(
        label=_("Note (the reason, if not applicable)"), max_length=300, required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("state") == ItemState.NOT_APPLICABLE and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why the item does not apply."))
        return cleaned


class PowerCloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why items are left open"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when items are neither done nor marked not applicable."),
    )

    def __init__(self, *args, outage: PowerOutage, **kwargs):
        super().__init__(*args, **kwargs)
        self.outage = outage

    def clean_reason(self):
        reason = self.cleaned_data.get("reason", "").strip()
        if not reason and self.outage.open_items().exists():
            raise forms.ValidationError(
                _("Some items are neither done nor marked not applicable: say why you close.")
            )
        return reason


class SectionForm(forms.ModelForm):
    class Meta:
        model = PlaybookSection
        fields = ["title", "position"]


class ItemForm(forms.ModelForm):
    class Meta:
        model = PlaybookItem
        fields = ["section", "text", "owner_role", "position"]
        labels = {"section": _("Section")}

    def __init__(self, *args, playbook, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = playbook.sections.all()


class AppendixRowForm(forms.ModelForm):
    class Meta:
        model = AppendixRow
        fields = ["function", "can_keep", "workaround", "depends_on", "position"]
        widgets = {
            "can_keep": forms.RadioSelect,
            "depends_on": forms.CheckboxSelectMultiple,
            "workaround": forms.Textarea(attrs={"rows": 3}),
        }
