"""The hændelseslog's rows and filter widgets, prepared in Python.

A page of 50 rows with nine columns costs thousands of template lookups; plain dicts
of ready strings keep the log inside its 100 ms budget (tests/bench/bench_incident_log.py).
The rows' <tr> and the filters' <option> lists are rendered here too, every value
escaped: the template engine spent about 10 µs on each of the page's ~900 variables,
most of the page's rendering time.
"""

from __future__ import annotations

import html
from datetime import datetime

from django.forms import ModelChoiceField
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from incidents.models import ClockState, IncidentKind, IncidentStatus, Severity
from incidents.models.incident import system_names


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


# One row of the log's table (incidents/log.html shows these as they are).
# Each cell carries its column's name (data-label): on a phone the rows read as cards
# (.table-stack in portal.css).
ROW_HTML = (
    '<tr>\n      <td data-label="{l_reference}"><a href="{url}" class="ref">{reference}</a><br>'
    '<span class="muted">{summary}</span></td>\n'
    '      <td data-label="{l_reported}">{reported}</td><td data-label="{l_kind}">{kind}</td>'
    '<td data-label="{l_status}">{status}</td><td data-label="{l_severity}">{severity}</td>\n'
    '      <td data-label="{l_department}">{department}</td>'
    '<td data-label="{l_systems}">{systems}</td>\n'
    '      <td data-label="{l_clock}"><span class="clock clock-{clock_state}">{clock}</span></td>\n'
    '      <td data-label="{l_notified}">{notified}</td>\n    </tr>'
)


def column_labels() -> dict[str, str]:
    """The log's column names: the table's header, and each cell's data-label."""
    return {
        "l_reference": _("Reference"),
        "l_reported": _("Reported"),
        "l_kind": _("Kind"),
        "l_status": _("Status"),
        "l_severity": _("Severity"),
        "l_department": _("Department"),
        "l_systems": _("Systems"),
        "l_clock": _("72-hour deadline"),
        "l_notified": _("Notified"),
    }


def _escape(value) -> str:
    """django.utils.html.conditional_escape without its lazy-string checks, which cost
    more than the escaping itself on ~800 values a page."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def row_html(row: dict, labels: dict[str, str]) -> str:
    values = {key: _escape(value) for key, value in row.items()}
    clock = values["clock_text"]
    if row["clock_overdue"]:
        clock = f"<strong>{clock}</strong>"
    return ROW_HTML.format(clock=clock, **values, **labels)


def rows_html(rows: list[dict], columns: dict[str, str]) -> SafeString:
    """The rows' <tr>s; `columns` from column_labels(), escaped here once a page."""
    labels = {key: html.escape(label) for key, label in columns.items()}
    return SafeString("".join(row_html(row, labels) for row in rows))


def options_html(options: list[tuple[str, str, bool]]) -> SafeString:
    """A select's <option>s: (value, text, selected)."""
    return SafeString(
        "".join(
            f'<option value="{_escape(value)}"{" selected" if selected else ""}>'
            f"{_escape(text)}</option>"
            for value, text, selected in options
        )
    )


def log_rows(incidents, now: datetime) -> list[dict]:
    """The rows of one page of the log; `incidents` comes from for_log()."""
    # Labels translated once per page: get_FOO_display() re-hashes every lazy label
    # of the field's choices on each call, thousands of translations per page.
    kinds, statuses, severities = _labels(IncidentKind), _labels(IncidentStatus), _labels(Severity)
    not_assessed, no = _("Not assessed"), _("No")
    url = reverse("incidents:detail", args=[999_999_999]).replace("999999999", "{}")
    incidents = list(incidents)
    systems = system_names(incident.pk for incident in incidents)
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
                "department": incident.department_name or "–",
                "systems": ", ".join(systems[incident.pk]) or "–",
                "clock_state": clock["state"],
                "clock_text": clock_text(clock),
                "clock_overdue": clock["state"] == ClockState.OVERDUE,
                "notified": _short(incident.notified_at) or no,
            }
        )
    return rows


def model_options(form) -> dict[str, list[tuple[int, str]]]:
    """(pk, name) of every model choice filter's options (departments, systems), one plain
    query each: iterating a field's choices walks a server-side cursor (DECLARE, FETCH,
    CLOSE) and builds full model rows. (One UNION ALL query for all of them measured
    slower: Django spends more compiling it than the round trip it saves.)"""
    return {
        name: list(field.queryset.values_list("pk", "name"))
        for name, field in form.fields.items()
        if isinstance(field, ModelChoiceField)
    }


def filter_widgets(form) -> list[dict]:
    """Each filter as label, id, name and its options or value (rendered by hand)."""
    from_models = model_options(form)
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
        if isinstance(field, ModelChoiceField):
            choices = [("", field.empty_label), *from_models[bound.name]]
            item["options"] = [(str(key), label, str(key) == current) for key, label in choices]
        elif hasattr(field, "choices"):
            item["options"] = [
                (str(getattr(key, "value", key)), label, str(getattr(key, "value", key)) == current)
                for key, label in field.choices
            ]
        if "options" in item:
            item["options_html"] = options_html(item["options"])
        else:
            item["type"] = "date"
        widgets.append(item)
    return widgets
