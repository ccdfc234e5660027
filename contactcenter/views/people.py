"""Who is reachable (any employee declares it for themselves; leaders and the contact
centre see the list) and where the centre works from."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beredskab import timeline
from contactcenter import access
from contactcenter.forms import LocationForm, ReachabilityForm
from contactcenter.models import CentreLocation, Reachability


@require_http_methods(["GET", "POST"])
def reachable_me(request: HttpRequest) -> HttpResponse:
    person = access.reachable_person(request.user)
    mine = Reachability.objects.filter(person=person).first()
    status = 200
    if request.method == "POST":
        form = ReachabilityForm(request.POST, request=request)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("where", "how", "number", "until")}
            mine = Reachability.declare(person, actor=request.user, **data)
            messages.success(
                request,
                _("You are on the reachable list until %(time)s.")
                % {"time": timezone.localtime(mine.expires_at).strftime("%d.%m. %H:%M")},
            )
            return redirect("contactcenter:reachable_me")
        status = 400
    elif mine is not None:
        form = ReachabilityForm(
            initial={"where": mine.where, "how": mine.how, "number": mine.number},
            request=request,
        )
    else:
        form = ReachabilityForm(initial={"number": person.mobile, "how": "mobile"}, request=request)
    return render(
        request,
        "contactcenter/reachable_me.html",
        {"form": form, "mine": mine, "current": mine is not None and mine.is_current()},
        status=status,
    )


@require_POST
def reachable_withdraw(request: HttpRequest) -> HttpResponse:
    person = access.reachable_person(request.user)
    mine = Reachability.objects.filter(person=person).first()
    if mine is not None:
        mine.withdraw(actor=request.user)
    messages.success(request, _("You are off the reachable list."))
    return redirect("contactcenter:reachable_me")


@require_GET
def reachable_list(request: HttpRequest) -> HttpResponse:
    access.require(access.can_see_reachable(request.user))
    return render(
        request,
        "contactcenter/reachable_list.html",
        {"reachable": Reachability.objects.current().select_related("person__department")},
    )


@require_http_methods(["GET", "POST"])
def location_edit(request: HttpRequest) -> HttpResponse:
    access.require(access.can_edit_channels(request.user))
    location = CentreLocation.current()
    status = 200
    if request.method == "POST":
        form = LocationForm(request.POST)
        if form.is_valid():
            location.change(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The centre's location is saved."))
            return redirect("contactcenter:index")
        status = 400
    else:
        form = LocationForm(
            initial={
                "mode": location.mode,
                "address": location.address,
                "hotspots": location.hotspots,
                "expected_answer_at": timezone.localtime(location.expected_answer_at)
                if location.expected_answer_at
                else None,
            }
        )
    return render(
        request,
        "contactcenter/location.html",
        {"form": form, "location": location, "events": timeline.events_for(location)},
        status=status,
    )
