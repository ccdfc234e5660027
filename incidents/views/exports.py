"""The log exported as CSV and PDF, with the same filters and search as the page."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from incidents.export import export_queryset, header, neutralise, rows
from incidents.pdf import pdf_response
from incidents.views.log import filtered_log

PDF_LIMIT = 2000


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
    _filters, _search, incidents = filtered_log(request)
    selected = list(export_queryset(incidents)[: PDF_LIMIT + 1])
    now = timezone.now()
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    return pdf_response(
        request,
        "incidents/log_print.html",
        {
            "header": header(),
            "rows": list(rows(selected[:PDF_LIMIT], now)),
            "truncated": len(selected) > PDF_LIMIT,
            "generated_at": now,
        },
        f"haendelseslog-{stamp}.pdf",
    )
