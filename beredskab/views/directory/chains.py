"""Escalation chains: the templates the escalation engine runs, with their steps."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from beredskab.access import can, get_chain_for, require_perm
from beredskab.forms.chains import ChainForm, StepFormSet
from beredskab.models import EscalationChain
from beredskab.services import directory as service
from beredskab.views.directory._common import form_data, render_form

TEMPLATE_FORM = "beredskab/directory/chain_form.html"


@require_GET
@require_perm("manage_chains")
def chain_list(request: HttpRequest) -> HttpResponse:
    chains = EscalationChain.objects.annotate(step_count=Count("steps"))
    return render(request, "beredskab/directory/chain_list.html", {"chains": chains})


@require_GET
@require_perm("manage_chains")
def chain_detail(request: HttpRequest, pk: int) -> HttpResponse:
    chain = get_chain_for(request.user, pk)
    steps = chain.steps.prefetch_related("notify_roles", "notify_people")
    return render(
        request,
        "beredskab/directory/chain_detail.html",
        {
            "chain": chain,
            "steps": [(step, step.resolve_recipients()) for step in steps],
            "warnings": chain.warnings(),
            "timeline": service.timeline_rows(chain),
            "can_test": can(request.user, "test_chain"),
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm("manage_chains")
def chain_create(request: HttpRequest) -> HttpResponse:
    chain = EscalationChain()
    form = ChainForm(form_data(request), instance=chain)
    steps = StepFormSet(form_data(request), instance=chain, prefix="steps")
    if form.is_bound and form.is_valid() & steps.is_valid():
        chain = service.save_chain(form, steps, actor=request.user)
        messages.success(request, _("The escalation chain was created."))
        return redirect(chain)
    return render_form(
        request,
        TEMPLATE_FORM,
        {
            "form": form,
            "steps": steps,
            "title": _("New escalation chain"),
            "cancel_url": reverse("directory:chain_list"),
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm("manage_chains")
def chain_edit(request: HttpRequest, pk: int) -> HttpResponse:
    chain = get_chain_for(request.user, pk, write=True)
    form = ChainForm(form_data(request), instance=chain)
    steps = StepFormSet(form_data(request), instance=chain, prefix="steps")
    # `&`, not `and`: validate both so every error shows at once.
    if form.is_bound and form.is_valid() & steps.is_valid():
        chain = service.save_chain(form, steps, actor=request.user)
        messages.success(request, _("The escalation chain was saved."))
        return redirect(chain)
    return render_form(
        request,
        TEMPLATE_FORM,
        {
            "form": form,
            "steps": steps,
            "title": _("Edit %(name)s") % {"name": chain.name},
            "cancel_url": chain.get_absolute_url(),
        },
    )
