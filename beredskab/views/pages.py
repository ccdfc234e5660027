"""The home page and the accessibility statement."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from beredskab import extensions
from beredskab.access import person_of
from beredskab.context_processors import navigation
from beredskab.escalation import access as escalation_access

# The law asks the statement to say when it was prepared and last reviewed: change
# these when the statement is reviewed.
STATEMENT_PREPARED = date(2026, 11, 27)
STATEMENT_REVIEWED = date(2026, 11, 27)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # Every logged-in person has a home page; what it shows follows their roles.
    shortcuts = [item for item in navigation(request.user) if item.shortcut]
    return render(
        request,
        "beredskab/home.html",
        {
            "person": person_of(request.user),
            "shortcuts": shortcuts,
            "entry_points": extensions.panels(extensions.HOME_ENTRY_POINTS),
            "open_now": extensions.panels(extensions.HOME_OPEN_NOW),
            "waiting": list(escalation_access.steps_waiting_for(request.user)[:10]),
        },
    )


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    # Public by law: the statement must be reachable without a login.
    return render(
        request,
        "beredskab/accessibility.html",
        {"prepared": STATEMENT_PREPARED, "reviewed": STATEMENT_REVIEWED},
    )
