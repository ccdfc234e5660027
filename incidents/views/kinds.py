"""Which escalation chain each kind of incident starts (the systemkoordinator edits it)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from beredskab.access import require_perm
from incidents.forms.kinds import KindChainsForm
from incidents.services.kinds import current_chains, set_chains


@require_http_methods(["GET", "POST"])
@require_perm("manage_chains")
def kind_chains(request: HttpRequest) -> HttpResponse:
    form = KindChainsForm(
        request.POST if request.method == "POST" else None, current=current_chains()
    )
    if request.method == "POST" and form.is_valid():
        changed = set_chains(form.cleaned_data, actor=request.user)
        messages.success(
            request,
            _("Saved: %(n)d kinds now start another chain.") % {"n": len(changed)}
            if changed
            else _("Nothing was changed."),
        )
        return redirect("incidents:kind_chains")
    status = 400 if request.method == "POST" else 200
    return render(request, "incidents/kind_chains.html", {"form": form}, status=status)
