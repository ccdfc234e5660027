"""The hændelseslog's rows and filter widgets, prepared in Python.

A page of 50 rows with nine columns costs thousands of template lookups; plain dicts
of ready strings keep the log inside its 100 ms budget (tests/bench/bench_incident_log.py).
"""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.models import ClockState, IncidentKind, IncidentStatus, Severity


def clock_text(clock: dict) -> str:
    if not clock["applies"]:
        return _("No deadline")
    values = {"h": clock["left_hours"], "m": clock["left_minutes"]}
    if clock["state"] == ClockState.RUNNING:
        return _("%(h)s h %(m)s min left") % values
    if clock["state"] == ClockState.OVERDUE:
        return _("OVERDUE by %(h)s h %(m)s min") % values
    return str(clock["label"])


def _short(value: datetime | None) -> str:
    # "j/n/Y H:i" by hand: django's dateformat costs more than the rest of a row.
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local.day}/{local.month}/{local.year} {local.hour:02d}:{local.minute:02d}"


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices.choices}


def log_rows(incidents, now: datetime) -> list[dict]:
    # Labels translated once per page: get_FOO_display() re-hashes every lazy label
    # of the field's choices on each call, thousands of translations per page.
    kinds, statuses, severities = _labels(IncidentKind), _labels(IncidentStatus), _labels(Severity)
    not_assessed, no = _("Not assessed"), _("No")
    url = reverse("incidents:detail", args=[999_999_999]).replace("999999999", "{}")
    rows = []
    for incident in incidents:
        clock = incident.clock_view(now)
        rows.append(
            {
                "url": url.format(incident.pk),
                "reference": incident.reference,
                "summary": incident.short_description,
                "reported": _short(incident.reported_at),
                "kind": kinds.get(incident.kind, incident.kind),
                "status": statuses.get(incident.status, incident.status),
                "severity": severities.get(incident.severity, not_assessed),
                "department": incident.department.name if incident.department_id else "–",
                "systems": ", ".join(s.name for s in incident.systems.all()) or "–",
                "clock_state": clock["state"],
                "clock_text": clock_text(clock),
                "clock_overdue": clock["state"] == ClockState.OVERDUE,
                "notified": _short(incident.notified_at) or no,
            }
        )
    return rows


def filter_widgets(form) -> list[dict]:
    """Each filter as label, id, name and its options or value (rendered by hand)."""
    widgets = []
    for bound in form:
        field = bound.field
        value = bound.value()
        current = "" if value is None else str(value)
        item = {
            "name": bound.html_name,
            "id": bound.auto_id,
            "label": bound.label,
            "errors": bound.errors,
            "value": current,
        }
        if hasattr(field, "choices"):
            item["options"] = [
                (str(getattr(key, "value", key)), label, str(getattr(key, "value", key)) == current)
                for key, label in field.choices
            ]
        else:
            item["type"] = "date"
        widgets.append(item)
    return widgets
