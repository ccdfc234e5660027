"""Anyone reports an unavailable system; everyone reads a declared outage."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beredskab import throttle, timeline
from outages import access
from outages.forms.system import (
    CloseForm,
    ContactForm,
    DeclareForm,
    DismissForm,
    EtaForm,
    NoteForm,
    ReportForm,
)
from outages.services import system as service


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outage = service.report(
            request.user,
            description=form.cleaned_data["description"],
            system=form.cleaned_data["system"],
            nonce=form.cleaned_data["nonce"],
        )
        if throttle.is_held(outage):
            messages.warning(
                request,
                _(
                    "Thank you. You have made several reports in a short time: this one is "
                    "saved and waits for the systemkoordinator."
                ),
            )
        else:
            messages.success(
                request, _("Thank you. IT and the systemkoordinator will look at it now.")
            )
        return redirect(outage)
    status = 400 if request.method == "POST" else 200
    return render(request, "outages/report.html", {"form": form}, status=status)


def detail_context(request: HttpRequest, outage, **forms) -> dict:
    can_manage = access.may_manage(request.user)
    held = throttle.is_held(outage)
    context = {
        "held": held,
        "may_release": throttle.may_release(request.user),
        "outage": outage,
        "affected": outage.affected.select_related("system__supplier"),
        "cannot_do": outage.cannot_do(),
        "suppliers": outage.suppliers(),
        "eta": outage.current_eta(),
        "etas": outage.etas.all(),
        "events": timeline.events_for(outage),
        "can_manage": can_manage,
    }
    if can_manage:
        # A held report is released before anyone declares or dismisses it.
        allowed = () if held else outage.allowed_transitions()
        context.update(
            {
                "declare_form": DeclareForm(
                    initial={"down": [outage.reported_system]} if outage.reported_system else None
                )
                if "declared" in allowed
                else None,
                "dismiss_form": DismissForm() if "dismissed" in allowed else None,
                "contact_form": ContactForm(outage=outage, prefix="contact")
                if "supplier_contacted" in allowed
                else None,
                "eta_form": EtaForm(outage=outage, prefix="eta") if outage.accepts_eta else None,
                "restoring_form": NoteForm(prefix="restoring") if "restoring" in allowed else None,
                "restored_form": NoteForm(prefix="restored") if "restored" in allowed else None,
                "close_form": CloseForm() if "closed" in allowed else None,
            }
        )
        context.update(forms)
    return context


@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    """The systemkoordinator releases a report held by the report-rate bound."""
    if not throttle.may_release(request.user):
        raise PermissionDenied
    outage = access.get_outage_for(request.user, pk)
    if service.release(outage, actor=request.user):
        messages.success(request, _("The report is released: IT can now confirm it."))
    else:
        messages.info(request, _("The report was not held (any more)."))
    return redirect(outage)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    outage = access.get_outage_for(request.user, pk)
    return render(request, "outages/detail.html", detail_context(request, outage))
