"""Forms of the letters to the people affected: the text, the list, "sent"."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskab.forms.fields import DateInput, TableFileField
from incidents.models import LetterChannel, LetterText


class LetterTextForm(forms.ModelForm):
    class Meta:
        model = LetterText
        fields = [
            "what_happened",
            "consequences",
            "measures",
            "advice",
            "contact",
            "public_communication",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class LetterListForm(forms.Form):
    file = TableFileField(
        label=_("The list of people (CSV)"),
        help_text=_(
            'A header row with the columns "navn" and "adresse" (and "postnr" and "by" if '
            "you have them), one row per person. Separated by semicolon, comma or tab; "
            "UTF-8 or Windows-1252."
        ),
    )


class LettersSentForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), widget=DateInput())
    via = forms.ChoiceField(label=_("Sent by"), choices=LetterChannel.choices)

    def clean_sent_on(self):
        sent_on = self.cleaned_data["sent_on"]
        if sent_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return sent_on
