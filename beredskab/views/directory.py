"""The directory, edited by the systemkoordinator in the portal."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from beredskab.access import require_perm


@require_GET
@require_perm("manage_directory")
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "beredskab/directory/index.html")
