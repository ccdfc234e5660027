"""Who looked at an incident: its view log, for the systemkoordinator and the DPO."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from incidents import access


@require_GET
def view_log(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_view_log_for(request.user, pk)
    page = Paginator(incident.views.order_by("-at", "-pk"), 100).get_page(request.GET.get("page"))
    return render(request, "incidents/view_log.html", {"incident": incident, "page": page})
