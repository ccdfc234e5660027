"""Compliance per department and per course, who is overdue; and the CSV export."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from beredskab.access import can
from training import access
from training.compliance import course_rows, department_rows, outstanding_assignments, totals

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_LIMIT = 500


def neutralise(value) -> str:
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    scope = access.compliance_scope(request.user)
    today = timezone.localdate()
    departments = department_rows(scope, today)
    outstanding = list(outstanding_assignments(scope)[: LIST_LIMIT + 1])
    return render(
        request,
        "training/compliance.html",
        {
            "departments": departments,
            "courses": course_rows(scope, today),
            "total": totals(departments),
            "outstanding": [(a, a.is_overdue(today)) for a in outstanding[:LIST_LIMIT]],
            "truncated": len(outstanding) > LIST_LIMIT,
            "sees_all": scope is None,
            "may_record": access.may_record(request.user),
            "can_import": can(request.user, "manage_training"),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
def compliance_csv(request: HttpRequest) -> StreamingHttpResponse:
    scope = access.compliance_scope(request.user)
    today = timezone.localdate()
    writer = csv.writer(_Echo(), delimiter=";")
    header = [_("Kind"), _("Name"), _("Assigned"), _("Completed"), _("Percent"), _("Overdue")]
    sections = [
        (_("Department"), department_rows(scope, today)),
        (_("Course"), course_rows(scope, today)),
    ]

    def lines():
        yield "\ufeff"  # Excel reads UTF-8 (æ, ø, å) only with the byte-order mark
        yield writer.writerow(header)
        for kind, figures in sections:
            for f in figures:
                row = [kind, f.name, f.total, f.done, f.percent, ", ".join(f.overdue)]
                yield writer.writerow([neutralise(cell) for cell in row])

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="uddannelse-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
