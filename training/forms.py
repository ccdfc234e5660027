"""Forms of the training app: the platform's CSV export, and a leader's completion."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskab.forms.fields import TableFileField


class ImportForm(forms.Form):
    file = TableFileField(
        label=_("CSV export from the e-learning platform"),
        help_text=_(
            "Columns: e-mail or employee number, course (title or key), completion date. "
            "Separated by semicolon, comma or tab; UTF-8 or Windows-1252."
        ),
    )


class RecordForm(forms.Form):
    completed_on = forms.DateField(
        label=_("Completed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        help_text=_("How you know, e.g. 'Certificate shown' or 'Completed on paper'."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_completed_on(self):
        value = self.cleaned_data["completed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value
