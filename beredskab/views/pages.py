"""The home page, the information-security page and the accessibility statement."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from beredskab.access import can, person_of
from beredskab.models import InfoLink


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "beredskab/home.html", {"person": person_of(request.user)})


@require_GET
def infosec(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "beredskab/infosec.html",
        {"links": InfoLink.objects.all(), "can_edit": can(request.user, "edit_infosec_page")},
    )


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "beredskab/accessibility.html")
