"""Departments: the tree of forvaltninger and units, their leaders and deputy."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from beredskab.access import get_department_for, require_perm
from beredskab.forms.directory import DepartmentForm
from beredskab.models import Department
from beredskab.services import directory as service
from beredskab.views.directory._common import form_data, render_form

TEMPLATE_FORM = "beredskab/directory/object_form.html"


@require_GET
@require_perm("manage_directory")
def department_list(request: HttpRequest) -> HttpResponse:
    departments = Department.objects.select_related("deputy").prefetch_related("leaders")
    return render(
        request,
        "beredskab/directory/department_list.html",
        {"tree": Department.tree(departments)},
    )


@require_GET
@require_perm("manage_directory")
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_department_for(request.user, pk)
    return render(
        request,
        "beredskab/directory/department_detail.html",
        {
            "department": department,
            "leaders": department.leaders.all(),
            "children": department.children.all(),
            "members": department.members.select_related("user").prefetch_related("roles"),
            "timeline": service.timeline_rows(department),
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm("manage_directory")
def department_create(request: HttpRequest) -> HttpResponse:
    form = DepartmentForm(form_data(request))
    if form.is_bound and form.is_valid():
        department = service.save_department(form, actor=request.user)
        messages.success(request, _("The department was created."))
        return redirect(department)
    return render_form(
        request,
        TEMPLATE_FORM,
        {
            "form": form,
            "title": _("New department"),
            "cancel_url": reverse("directory:department_list"),
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm("manage_directory")
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_department_for(request.user, pk, write=True)
    form = DepartmentForm(form_data(request), instance=department)
    if form.is_bound and form.is_valid():
        department = service.save_department(form, actor=request.user)
        messages.success(request, _("The department was saved."))
        return redirect(department)
    return render_form(
        request,
        TEMPLATE_FORM,
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": department.name},
            "cancel_url": department.get_absolute_url(),
        },
    )
