"""The service worker that keeps the playbooks, Appendix 1, the phone list and the
binder readable without network. Served at /sw.js so that its scope is the whole site.

The copy follows the session: the pages go when it ends, the binder (work contacts
only) stays until BINDER_CACHE_DAYS pass without a refresh (templates/outages/sw.js)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from beredskab import sessions


@login_not_required  # holds no data: only the list of pages it may keep
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    context = {
        "playbooks": reverse("outages:playbooks"),
        "appendix": reverse("outages:appendix"),
        "power": reverse("outages:power_list"),
        "binder": reverse("outages:binder"),
        "static": settings.STATIC_URL,
        "logout": reverse("logout"),
        # How long the offline copy may outlive the network (beredskab/sessions.py).
        "state_header": sessions.STATE_HEADER,
        "idle_minutes": int(settings.SESSION_IDLE_MINUTES),
        "binder_days": int(settings.BINDER_CACHE_DAYS),
    }
    response = render(
        request, "outages/sw.js", context, content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
