"""Playbooks and Appendix 1: read by everyone, edited by the systemkoordinator."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beredskab import timeline
from outages import access
from outages.forms.power import AppendixRowForm, ItemForm, SectionForm
from outages.models import AppendixRow, Playbook, PlaybookItem


@require_GET
def playbook_list(request: HttpRequest) -> HttpResponse:
    return render(request, "outages/playbook_list.html", {"playbooks": Playbook.objects.all()})


def playbook_context(request, playbook, **forms) -> dict:
    can_edit = access.may_edit_playbooks(request.user)
    context = {
        "playbook": playbook,
        "sections": playbook.sections.prefetch_related("items"),
        "can_edit": can_edit,
        "events": timeline.events_for(playbook) if can_edit else None,
    }
    if can_edit:
        context["section_form"] = SectionForm(prefix="section")
        context["item_form"] = ItemForm(playbook=playbook, prefix="item")
    context.update(forms)
    return context


@require_GET
def playbook(request: HttpRequest, pk: int) -> HttpResponse:
    book = access.get_playbook_for(request.user, pk)
    return render(request, "outages/playbook.html", playbook_context(request, book))


def _changed(book, user, change: str) -> None:
    timeline.record(book, "playbook.changed", actor=user, data={"change": change})


@require_POST
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    book = access.get_playbook_for(request.user, pk, write=True)
    form = SectionForm(request.POST, prefix="section")
    if not form.is_valid():
        context = playbook_context(request, book, section_form=form)
        return render(request, "outages/playbook.html", context, status=400)
    with transaction.atomic():
        section = form.save(commit=False)
        section.playbook = book
        section.save()
        _changed(book, request.user, _("section added: %(title)s") % {"title": section.title})
    messages.success(request, _("The section is added."))
    return redirect(book)


@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    book = access.get_playbook_for(request.user, pk, write=True)
    form = ItemForm(request.POST, playbook=book, prefix="item")
    if not form.is_valid():
        context = playbook_context(request, book, item_form=form)
        return render(request, "outages/playbook.html", context, status=400)
    with transaction.atomic():
        item = form.save()
        _changed(book, request.user, _("item added: %(text)s") % {"text": item.text})
    messages.success(request, _("The item is added."))
    return redirect(book)


def _item_for(request, pk: int, item_pk: int) -> tuple[Playbook, PlaybookItem]:
    book = access.get_playbook_for(request.user, pk, write=True)
    return book, get_object_or_404(PlaybookItem, pk=item_pk, section__playbook=book)


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    book, item = _item_for(request, pk, item_pk)
    form = ItemForm(request.POST or None, instance=item, playbook=book)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            _changed(book, request.user, _("item changed: %(text)s") % {"text": item.text})
        messages.success(request, _("The item is changed."))
        return redirect(book)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("Change the item"), "back": book.get_absolute_url()}
    return render(request, "outages/form_page.html", context, status=status)


@require_POST
def item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    book, item = _item_for(request, pk, item_pk)
    with transaction.atomic():
        _changed(book, request.user, _("item removed: %(text)s") % {"text": item.text})
        item.delete()
    messages.success(request, _("The item is removed."))
    return redirect(book)


@require_GET
def appendix(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "outages/appendix.html",
        {
            "appendix": AppendixRow.objects.prefetch_related("depends_on"),
            "can_edit": access.may_edit_playbooks(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def appendix_edit(request: HttpRequest, row_pk: int | None = None) -> HttpResponse:
    if not access.may_edit_playbooks(request.user):
        raise PermissionDenied
    row = get_object_or_404(AppendixRow, pk=row_pk) if row_pk else None
    form = AppendixRowForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            timeline.record(
                saved, "appendix.changed", actor=request.user, data={"function": saved.function}
            )
        messages.success(request, _("Appendix 1 is updated."))
        return redirect("outages:appendix")
    status = 400 if request.method == "POST" else 200
    title = _("Change a row of Appendix 1") if row else _("Add a row to Appendix 1")
    context = {"form": form, "title": title, "back": reverse("outages:appendix")}
    return render(request, "outages/form_page.html", context, status=status)
