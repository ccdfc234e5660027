"""Reporting: the form any employee fills in, the receipt, and "my reports"."""

from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from beredskab import throttle
from beredskab.access import person_of
from incidents import access
from incidents.forms.report import ReportForm
from incidents.models import Incident
from incidents.services.report import Report, report, told


@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            incident = report(
                request.user,
                Report(
                    description=data["description"],
                    kind=data["kind"],
                    occurred_at=data["occurred_at"],
                    discovered_at=data["discovered_at"],
                    systems=list(data["systems"]),
                    personal_data=data["personal_data"],
                    people_affected=data["people_affected"],
                    ongoing=data["ongoing"],
                    files=data["attachments"],
                    nonce=data["nonce"],
                ),
            )
            return redirect("incidents:receipt", pk=incident.pk)
        status = 400
    else:
        form = ReportForm(initial={"nonce": uuid.uuid4().hex})
        status = 200
    return render(request, "incidents/report.html", {"form": form}, status=status)


@require_GET
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_receipt_for(request.user, pk)
    return render(
        request,
        "incidents/receipt.html",
        {
            "incident": incident,
            "told": told(incident),
            "held": throttle.is_held(incident),
            "attachments": incident.attachments.all(),
            "can_open_log": access.sees_all(request.user)
            or access.may_decide_taskforce(request.user, incident),
        },
    )


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    incidents = (
        Incident.objects.filter(reporter=person) if person else Incident.objects.none()
    ).order_by("-reported_at", "-pk")
    page = Paginator(incidents, 25).get_page(request.GET.get("page"))
    return render(request, "incidents/mine.html", {"page": page})
