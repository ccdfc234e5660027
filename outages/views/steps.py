"""The system outage's transitions: one POST view per step, IT and the systemkoordinator.

Bad input renders the outage page again with the error at the field (HTTP 400) and
saves nothing; a step the outage has moved past meanwhile says so (HTTP 409).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outages import access
from outages.forms.system import CloseForm, ContactForm, DeclareForm, DismissForm, EtaForm, NoteForm
from outages.models import OutageError
from outages.services import system as service
from outages.views.report import detail_context


def _again(request, outage, status: int = 400, **forms) -> HttpResponse:
    if status == 409:
        messages.error(request, _("The outage changed meanwhile; nothing was saved."))
    return render(
        request, "outages/detail.html", detail_context(request, outage, **forms), status=status
    )


def _done(request, outage, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect(outage)


@require_POST
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    outage = access.get_outage_for(request.user, pk, write=True)
    form = DeclareForm(request.POST)
    if not form.is_valid():
        return _again(request, outage, declare_form=form)
    try:
        service.declare(
            outage, form.systems(), actor=request.user, began_at=form.cleaned_data["began_at"]
        )
    except OutageError:
        return _again(request, outage, status=409)
    return _done(request, outage, _("The outage is declared and the escalation has started."))


@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    outage = access.get_outage_for(request.user, pk, write=True)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return _again(request, outage, dismiss_form=form)
    try:
        outage.dismiss(reason=form.cleaned_data["reason"], actor=request.user)
    except OutageError:
        return _again(request, outage, status=409)
    return _done(request, outage, _("The report is dismissed."))


@require_POST
def contacted(request: HttpRequest, pk: int) -> HttpResponse:
    outage = access.get_outage_for(request.user, pk, write=True)
    form = ContactForm(request.POST, outage=outage, prefix="contact")
    if not form.is_valid():
        return _again(request, outage, contact_form=form)
    try:
        outage.contact_supplier(
            eta=form.cleaned_data["eta"], note=form.cleaned_data["note"], actor=request.user
        )
    except OutageError:
        return _again(request, outage, status=409)
    return _done(request, outage, _("Supplier contacted is recorded."))


@require_POST
def eta(request: HttpRequest, pk: int) -> HttpResponse:
    outage = access.get_outage_for(request.user, pk, write=True)
    form = EtaForm(request.POST, outage=outage, prefix="eta")
    if not form.is_valid():
        return _again(request, outage, eta_form=form)
    try:
        outage.record_eta(
            eta=form.cleaned_data["eta"], note=form.cleaned_data["note"], actor=request.user
        )
    except OutageError:
        return _again(request, outage, status=409)
    return _done(request, outage, _("The new expected restoration is recorded."))


@require_POST
def restoring(request: HttpRequest, pk: int) -> HttpResponse:
    outage = access.get_outage_for(request.user, pk, write=True)
    form = NoteForm(request.POST, prefix="restoring")
    if not form.is_valid():
        return _again(request, outage, restoring_form=form)
    try:
        outage.start_restoring(note=form.cleaned_data["note"], actor=request.user)
    except OutageError:
        return _again(request, outage, status=409)
    return _done(request, outage, _("Restoring is recorded."))


@require_POST
def restored(request: HttpRequest, pk: int) -> HttpResponse:
    outage = access.get_outage_for(request.user, pk, write=True)
    form = NoteForm(request.POST, prefix="restored")
    if not form.is_valid():
        return _again(request, outage, restored_form=form)
    try:
        outage.mark_restored(note=form.cleaned_data["note"], actor=request.user)
    except OutageError:
        return _again(request, outage, status=409)
    return _done(request, outage, _("The systems are marked as restored."))


@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    outage = access.get_outage_for(request.user, pk, write=True)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _again(request, outage, close_form=form)
    try:
        outage.close(actor=request.user, **form.cleaned_data)
    except OutageError:
        return _again(request, outage, status=409)
    return _done(request, outage, _("The outage is closed with its after-action note."))
