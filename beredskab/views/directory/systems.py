"""Systems: the register with each system's C/I/A assessment."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from beredskab.access import get_system_for, require_perm
from beredskab.forms.directory import SystemForm
from beredskab.models import System
from beredskab.services import directory as service
from beredskab.views.directory._common import form_data, paginate, render_form

TEMPLATE_FORM = "beredskab/directory/object_form.html"


@require_GET
@require_perm("manage_directory")
def system_list(request: HttpRequest) -> HttpResponse:
    systems = System.objects.select_related("supplier", "coordinator").order_by("name")
    return render(
        request,
        "beredskab/directory/system_list.html",
        {"page": paginate(request, systems)},
    )


@require_GET
@require_perm("manage_directory")
def system_detail(request: HttpRequest, pk: int) -> HttpResponse:
    system = get_system_for(request.user, pk)
    return render(
        request,
        "beredskab/directory/system_detail.html",
        {"system": system, "timeline": service.timeline_rows(system)},
    )


@require_http_methods(["GET", "POST"])
@require_perm("manage_directory")
def system_create(request: HttpRequest) -> HttpResponse:
    form = SystemForm(form_data(request))
    if form.is_bound and form.is_valid():
        system = service.save_system(form, actor=request.user)
        messages.success(request, _("The system was created."))
        return redirect(system)
    return render_form(
        request,
        TEMPLATE_FORM,
        {"form": form, "title": _("New system"), "cancel_url": reverse("directory:system_list")},
    )


@require_http_methods(["GET", "POST"])
@require_perm("manage_directory")
def system_edit(request: HttpRequest, pk: int) -> HttpResponse:
    system = get_system_for(request.user, pk, write=True)
    form = SystemForm(form_data(request), instance=system)
    if form.is_bound and form.is_valid():
        system = service.save_system(form, actor=request.user)
        messages.success(request, _("The system was saved."))
        return redirect(system)
    return render_form(
        request,
        TEMPLATE_FORM,
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": system.name},
            "cancel_url": system.get_absolute_url(),
        },
    )
