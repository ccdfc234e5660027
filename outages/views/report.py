"""Anyone reports an unavailable system; everyone reads a declared outage."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from beredskab import timeline
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
        messages.success(request, _("Thank you. IT and the systemkoordinator will look at it now."))
        return redirect(outage)
    status = 400 if request.method == "POST" else 200
    return render(request, "outages/report.html", {"form": form}, status=status)


def detail_context(request: HttpRequest, outage, **forms) -> dict:
    can_manage = access.may_manage(request.user)
    context = {
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
        allowed = outage.allowed_transitions()
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


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    outage = access.get_outage_for(request.user, pk)
    return render(request, "outages/detail.html", detail_context(request, outage))
