"""The log as rows for the CSV and PDF exports (annual review, audit under art. 33(5))."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.models import Incident

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Make a cell plain text for spreadsheets: a leading formula character gets a quote."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def header() -> list[str]:
    return [
        _("Reference"),
        _("Reported"),
        _("Kind"),
        _("Status"),
        _("Severity"),
        _("Department"),
        _("Systems"),
        _("Personal data"),
        _("People affected"),
        _("Became aware"),
        _("72-hour deadline"),
        _("Clock"),
        _("Decision"),
        _("Rationale"),
        _("Notified"),
        _("Receipt numbers"),
        _("What happened"),
    ]


def rows(incidents: Iterable[Incident], now=None) -> Iterator[list[str]]:
    now = now or timezone.now()
    for incident in incidents:
        clock = incident.clock_view(now)
        yield [
            incident.reference,
            _when(incident.reported_at),
            incident.get_kind_display(),
            incident.get_status_display(),
            incident.get_severity_display() or "",
            incident.department.name if incident.department else "",
            ", ".join(s.name for s in incident.systems.all()),
            incident.get_personal_data_display(),
            incident.get_people_affected_display(),
            _when(incident.aware_at),
            _when(clock["deadline"]) if clock["applies"] else "",
            str(clock["label"]),
            incident.get_decision_display(),
            incident.decision_rationale,
            _when(incident.notified_at),
            ", ".join(n.receipt_number for n in incident.notifications.all()),
            incident.description,
        ]


# Columns shown as running text under the facts in the PDF, not as a short fact.
LONG_COLUMNS = (13, 16)  # Rationale, What happened


@dataclass(frozen=True)
class PdfEntry:
    reference: str
    facts: list[tuple[str, str]]
    texts: list[tuple[str, str]]
    shortened: bool


def shorten(value: str, limit: int) -> tuple[str, bool]:
    """At most `limit` characters, cut at a word with "…"; (text, whether it was cut)."""
    if len(value) <= limit:
        return value, False
    cut = value[:limit].rsplit(None, 1)[0] if " " in value[:limit] else value[:limit]
    return cut.rstrip() + " …", True


def pdf_entries(incidents: Iterable[Incident], now=None) -> Iterator[PdfEntry]:
    """The PDF's blocks: one per incident, every cell at most INCIDENT_PDF_TEXT_MAX_CHARS
    long (the CSV has the full texts). Bounded text is what keeps the largest allowed
    PDF well inside the web server's timeout."""
    labels = header()
    limit = settings.INCIDENT_PDF_TEXT_MAX_CHARS
    for row in rows(incidents, now):
        cells = [shorten(cell, limit) for cell in row]
        yield PdfEntry(
            reference=cells[0][0],
            facts=[
                (labels[i], text)
                for i, (text, _cut) in enumerate(cells)
                if i and i not in LONG_COLUMNS and text
            ],
            texts=[(labels[i], cells[i][0]) for i in LONG_COLUMNS if cells[i][0]],
            shortened=any(cut for _text, cut in cells),
        )


def export_queryset(queryset):
    # Every column, unlike the log's page (for_log() loads only what a row shows).
    return queryset.select_related("department").prefetch_related("systems", "notifications")
