"""The kind → chain table as one form: a chain for each kind of incident."""

from __future__ import annotations

from django import forms

from beredskab.models import EscalationChain
from incidents.models import IncidentKind


class KindChainsForm(forms.Form):
    def __init__(self, *args, current: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        chains = EscalationChain.objects.filter(is_active=True).order_by("name")
        for kind in IncidentKind:
            self.fields[kind.value] = forms.ModelChoiceField(
                label=kind.label, queryset=chains, initial=current.get(kind.value)
            )
