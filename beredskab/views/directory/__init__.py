"""The shared directory, edited by the systemkoordinator in the portal.

One module per object type; every view checks access through beredskab.access and
hands a validated form to one function in beredskab.services.directory.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from beredskab.access import can, require_perm


@require_GET
@require_perm("manage_directory")
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "beredskab/directory/index.html",
        {"can_manage_chains": can(request.user, "manage_chains")},
    )
