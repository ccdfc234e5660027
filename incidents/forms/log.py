"""The hændelseslog's filters (GET: no personal data) and free-text search (POST)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskab.models import Department, System
from incidents.models import IncidentKind, IncidentStatus, Severity

SORTS = {
    "newest": ("-reported_at", "-pk"),
    "oldest": ("reported_at", "pk"),
    # Most severe first, the not yet assessed last: on PostgreSQL as on SQLite (their
    # defaults put NULL at opposite ends of a descending sort).
    "severity": (F("severity").desc(nulls_last=True), "-reported_at", "-pk"),
    "status": ("status", "-reported_at", "-pk"),
    "reference": ("reference",),
}


class LogFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All"))] + IncidentKind.choices, required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + IncidentStatus.choices, required=False
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        choices=[("", _("All")), ("0", _("Not assessed"))] + Severity.choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False
    )
    system = forms.ModelChoiceField(
        label=_("System"), queryset=System.objects.all(), required=False
    )
    reported_from = forms.DateField(
        label=_("Reported from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reported_to = forms.DateField(
        label=_("Reported to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notified = forms.ChoiceField(
        label=_("Notified to Datatilsynet"),
        choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("severity", _("Severity")),
            ("status", _("Status")),
            ("reference", _("Reference")),
        ],
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("reported_from"), cleaned.get("reported_to")
        if start and end and end < start:
            self.add_error("reported_to", _("The period ends before it starts."))
        return cleaned

    @staticmethod
    def _local_midnight(day) -> datetime:
        return timezone.make_aware(datetime.combine(day, time.min))

    def apply(self, queryset):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("severity") is not None:
            severity = data["severity"]
            queryset = (
                queryset.filter(severity__isnull=True)
                if severity == 0
                else queryset.filter(severity=severity)
            )
        if data.get("department"):
            queryset = queryset.filter(department=data["department"])
        if data.get("system"):
            queryset = queryset.filter(systems=data["system"])
        if data.get("reported_from"):
            queryset = queryset.filter(reported_at__gte=self._local_midnight(data["reported_from"]))
        if data.get("reported_to"):
            end = self._local_midnight(data["reported_to"] + timedelta(days=1))
            queryset = queryset.filter(reported_at__lt=end)
        if data.get("notified") == "yes":
            queryset = queryset.filter(notified_at__isnull=False)
        elif data.get("notified") == "no":
            queryset = queryset.filter(notified_at__isnull=True)
        return queryset.order_by(*SORTS.get(data.get("sort") or "newest", SORTS["newest"]))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the text"), max_length=200, required=False)

    def apply(self, queryset):
        words = (self.cleaned_data.get("q") or "").split()
        for word in words[:10]:
            queryset = queryset.filter(
                Q(reference__icontains=word)
                | Q(description__icontains=word)
                | Q(reporter_text__icontains=word)
            )
        return queryset
