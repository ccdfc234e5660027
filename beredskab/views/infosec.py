"""The "Informationssikkerhed" page, and its editor for the systemkoordinator."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beredskab import extensions, infosec
from beredskab.access import can, require_perm
from beredskab.models import InfoLink


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "beredskab/infosec.html",
        {
            "links": infosec.ordered_links(),
            "can_edit": can(request.user, "edit_infosec_page"),
            "entry_points": extensions.panels(extensions.INFOSEC_ENTRY_POINTS),
        },
    )


def _form_page(request: HttpRequest, form, link: InfoLink | None) -> HttpResponse:
    return render(
        request,
        "beredskab/infosec_form.html",
        {"form": form, "link": link},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@require_perm("edit_infosec_page")
def create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = infosec.InfoLinkForm(request.POST)
        if form.is_valid():
            link = infosec.create_link(form, actor=request.user)
            messages.success(request, _("“%(title)s” was added.") % {"title": link.title})
            return redirect("infosec")
    else:
        form = infosec.InfoLinkForm()
    return _form_page(request, form, None)


@require_http_methods(["GET", "POST"])
@require_perm("edit_infosec_page")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(InfoLink, pk=pk)
    if request.method == "POST":
        form = infosec.InfoLinkForm(request.POST, instance=link)
        if form.is_valid():
            infosec.update_link(form, actor=request.user)
            messages.success(request, _("“%(title)s” was saved.") % {"title": link.title})
            return redirect("infosec")
    else:
        form = infosec.InfoLinkForm(instance=link)
    return _form_page(request, form, link)


@require_http_methods(["GET", "POST"])
@require_perm("edit_infosec_page")
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(InfoLink, pk=pk)
    if request.method == "POST":
        title = link.title
        infosec.delete_link(link, actor=request.user)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": title})
        return redirect("infosec")
    return render(request, "beredskab/infosec_confirm_delete.html", {"link": link})


@require_POST
@require_perm("edit_infosec_page")
def move(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(InfoLink, pk=pk)
    direction = request.POST.get("direction", "")
    if direction not in {"up", "down"}:
        return HttpResponseBadRequest(_("Choose to move the link up or down."))
    infosec.move_link(link, direction, actor=request.user)
    return redirect(f"{reverse('infosec')}#link-{link.pk}")
