"""Suppliers: who to call when a system is down."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from beredskab.access import get_supplier_for, require_perm
from beredskab.forms.directory import SupplierForm
from beredskab.models import Supplier
from beredskab.services import directory as service
from beredskab.views.directory._common import form_data, paginate, render_form

TEMPLATE_FORM = "beredskab/directory/object_form.html"


@require_GET
@require_perm("manage_directory")
def supplier_list(request: HttpRequest) -> HttpResponse:
    suppliers = Supplier.objects.annotate(system_count=Count("systems")).order_by("name")
    return render(
        request,
        "beredskab/directory/supplier_list.html",
        {"page": paginate(request, suppliers)},
    )


@require_GET
@require_perm("manage_directory")
def supplier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = get_supplier_for(request.user, pk)
    return render(
        request,
        "beredskab/directory/supplier_detail.html",
        {
            "supplier": supplier,
            "systems": supplier.systems.all(),
            "timeline": service.timeline_rows(supplier),
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm("manage_directory")
def supplier_create(request: HttpRequest) -> HttpResponse:
    form = SupplierForm(form_data(request))
    if form.is_bound and form.is_valid():
        supplier = service.save_supplier(form, actor=request.user)
        messages.success(request, _("The supplier was created."))
        return redirect(supplier)
    return render_form(
        request,
        TEMPLATE_FORM,
        {
            "form": form,
            "title": _("New supplier"),
            "cancel_url": reverse("directory:supplier_list"),
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm("manage_directory")
def supplier_edit(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = get_supplier_for(request.user, pk, write=True)
    form = SupplierForm(form_data(request), instance=supplier)
    if form.is_bound and form.is_valid():
        supplier = service.save_supplier(form, actor=request.user)
        messages.success(request, _("The supplier was saved."))
        return redirect(supplier)
    return render_form(
        request,
        TEMPLATE_FORM,
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": supplier.name},
            "cancel_url": supplier.get_absolute_url(),
        },
    )
