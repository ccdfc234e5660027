"""The log exported as CSV and PDF, with the same filters and search as the page."""

from __future__ import annotations

import csv

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from incidents.export import export_queryset, header, neutralise, pdf_entries, rows
from incidents.pdf import pdf_response
from incidents.views.log import filtered_log


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    _filters, _search, incidents = filtered_log(request)
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # Excel reads UTF-8 (æ, ø, å) only with the byte-order mark
        yield writer.writerow(header())
        for row in rows(export_queryset(incidents).iterator(chunk_size=500)):
            yield writer.writerow([neutralise(cell) for cell in row])

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="haendelseslog-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def export_pdf(request: HttpRequest) -> HttpResponse:
    """The selection as a PDF, if it fits: a PDF is built inside the request, so its
    size is bounded (INCIDENT_PDF_EXPORT_MAX incidents, each text cut at
    INCIDENT_PDF_TEXT_MAX_CHARS) to finish well inside gunicorn's 30 s. A larger
    selection is refused with what to do instead: narrow the filters, or the CSV."""
    _filters, _search, incidents = filtered_log(request)
    limit = settings.INCIDENT_PDF_EXPORT_MAX
    count = incidents.count()
    if count > limit:
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "incidents/export_refused.html",
            {"count": count, "limit": limit, "query": query.urlencode()},
            status=400,
        )
    now = timezone.now()
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    entries = list(pdf_entries(export_queryset(incidents), now))
    return pdf_response(
        request,
        "incidents/log_print.html",
        {
            "entries": entries,
            "shortened": any(entry.shortened for entry in entries),
            "generated_at": now,
        },
        f"haendelseslog-{stamp}.pdf",
    )
