"""The status page for all staff: which systems are down or degraded now.

Light on purpose (a phone on a weak connection): one fragment, polled by htmx, that
is also the body of the plain page, so a reload without JavaScript reads the same.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from outages import access
from outages.models import LIVE, AffectedSystem, EtaEstimate, OutageStatus, SystemOutage

POLL_SECONDS = 30


def status_rows(statuses=LIVE) -> list[dict]:
    outages = (
        SystemOutage.objects.filter(status__in=statuses)
        .prefetch_related(
            Prefetch("affected", queryset=AffectedSystem.objects.select_related("system")),
            Prefetch("etas", queryset=EtaEstimate.objects.order_by("-given_at", "-pk")),
        )
        .order_by("declared_at", "pk")
    )
    rows = []
    for outage in outages:
        etas = list(outage.etas.all())
        rows.append(
            {
                "outage": outage,
                "affected": list(outage.affected.all()),
                "eta": etas[0] if etas else None,
            }
        )
    return rows


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "rows": status_rows(),
        "restored": status_rows((OutageStatus.RESTORED,)),
        "now": timezone.now(),
        "poll_seconds": POLL_SECONDS,
    }
    template = "outages/index.html"
    if request.htmx:
        template += "#status"
    else:
        context["can_manage"] = access.may_manage(request.user)
        context["can_cancel_bookings"] = access.may_send_campaigns(request.user)
        if context["can_manage"]:
            context["reports"] = SystemOutage.objects.awaiting_confirmation().select_related(
                "reported_system"
            )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
