"""Escalation runs in the portal, and the acknowledgement link (no login)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from beredskab import live, timeline
from beredskab.access import person_of
from beredskab.escalation import access, engine
from beredskab.escalation.acknowledging import ended_run_for_token
from beredskab.escalation.checklist import tick_checklist
from beredskab.escalation.forms import CloseRunForm, TestChainForm, TickForm
from beredskab.models import ChecklistTick, OutboxMessage, RunRecipient
from beredskab.models.chains import position_label

POLL_SECONDS = 5


@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    runs = access.runs_visible_to(request.user).order_by("-started_at")
    return render(
        request,
        "beredskab/escalation/run_list.html",
        {"real_runs": runs.real()[:100], "exercises": runs.exercises()[:50]},
    )


def _run_context(request, run) -> dict:
    steps = list(run.steps.prefetch_related("recipients__person", "ticks").order_by("position"))
    message_rows = (
        OutboxMessage.objects.filter(group_key=run.group_key)
        .only("channel", "recipient_name", "status", "run_step_id", "error", "updated_at")
        .order_by("created_at", "id")
    )
    by_step: dict[int | None, list] = {}
    for msg in message_rows:
        by_step.setdefault(msg.run_step_id, []).append(msg)
    person = person_of(request.user)
    overseer = access.is_overseer(request.user)
    for step in steps:
        step.message_rows = by_step.get(step.pk, [])
        ticks = {t.item_index: t for t in step.ticks.all()}
        step.items = [(i, text, ticks.get(i)) for i, text in enumerate(step.checklist)]
        step.user_is_recipient = person is not None and any(
            r.person_id == person.pk and r.acknowledged_at is None for r in step.recipients.all()
        )
        # The checklist's "Done" buttons only where access.get_step_for lets the tick in:
        # anyone on the step (acknowledged or not), or an overseer.
        on_step = person is not None and any(
            r.person_id == person.pk for r in step.recipients.all()
        )
        step.may_tick = on_step or overseer
        step.position_words = [position_label(key) for key in step.positions]
    return {
        "run": run,
        "steps": steps,
        "other_messages": by_step.get(None, []),
        "events": timeline.events_for(run),
        "can_close": access.is_overseer(request.user) and run.is_open,
        "close_form": CloseRunForm(),
        "poll_seconds": POLL_SECONDS,
    }


def _run_version(run) -> str:
    """What the live part of the run page shows, as a fingerprint: every change to it
    moves one of these (a status, an acknowledgement, a tick, a message, an event)."""
    steps = list(run.steps.values_list("pk", "status", "acknowledged_at", "deadline"))
    counts = [
        qs.aggregate(n=Count("pk"), last=Max(field))
        for qs, field in (
            (RunRecipient.objects.filter(step__run=run), "pk"),
            (ChecklistTick.objects.filter(step__run=run), "ticked_at"),
            (OutboxMessage.objects.filter(group_key=run.group_key), "updated_at"),
            (timeline.events_for(run).order_by(), "seq"),
        )
    ]
    return live.version(run.status, run.closed_at, steps, counts)


@require_GET
@vary_on_headers("HX-Request")
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = access.get_run_for(request.user, pk)
    version = _run_version(run)
    if (not_modified := live.unchanged(request, version)) is not None:
        return not_modified
    template = "beredskab/escalation/run.html"
    if request.htmx:
        template += "#run-live"
    return render(request, template, {**_run_context(request, run), "live_version": version})


@require_POST
def run_acknowledge(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    run = access.get_run_for(request.user, pk)
    step = access.get_step_for(request.user, run, step_pk)
    person = person_of(request.user)
    if person is None or not step.recipients.filter(person=person).exists():
        messages.error(request, _("Only the people on this step can acknowledge it."))
        return redirect("escalation:run", pk=run.pk)
    result = engine.acknowledge(step, by=person, via="portal")
    if result.acknowledged and result.completed:
        messages.success(request, _("Acknowledged. The next step has been told."))
    elif result.acknowledged:
        messages.success(
            request,
            _("Your acknowledgement is recorded. The step still waits for %(whom)s.")
            % {"whom": ", ".join(result.waiting_for)},
        )
    elif result.ended:
        messages.info(request, _("The escalation has ended; you need not do anything more."))
    else:
        messages.info(request, _("This step was already handled."))
    return redirect("escalation:run", pk=run.pk)


@require_POST
def run_tick(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    run = access.get_run_for(request.user, pk)
    step = access.get_step_for(request.user, run, step_pk)
    form = TickForm(request.POST)
    person = person_of(request.user)
    if not form.is_valid() or person is None:
        return HttpResponse(_("Invalid checklist item."), status=400)
    try:
        tick_checklist(step, form.cleaned_data["item"], by=person, note=form.cleaned_data["note"])
    except engine.EscalationError:
        return HttpResponse(_("Invalid checklist item."), status=400)
    return redirect("escalation:run", pk=run.pk)


@require_POST
def run_close(request: HttpRequest, pk: int) -> HttpResponse:
    run = access.get_run_for(request.user, pk, write=True)
    form = CloseRunForm(request.POST)
    if not form.is_valid():
        context = _run_context(request, run)
        context["close_form"] = form
        return render(request, "beredskab/escalation/run.html", context, status=400)
    try:
        engine.close(
            run,
            status=form.cleaned_data["status"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except engine.EscalationError:
        messages.error(request, _("The escalation is already closed."))
    return redirect("escalation:run", pk=run.pk)


@require_http_methods(["GET", "POST"])
def chain_test(request: HttpRequest, chain_pk: int) -> HttpResponse:
    """ "Test this chain": an exercise run of the chain, messages marked ØVELSE."""
    chain = access.get_chain_to_test(request.user, chain_pk)
    form = TestChainForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            run = engine.start_run(
                chain,
                title=_("Test of %(chain)s") % {"chain": chain.name},
                summary=_("This is a test of the escalation chain."),
                reporter=person_of(request.user),
                actor=request.user,
                is_test=True,
                include_external=form.cleaned_data["include_external"],
            )
        except engine.EscalationError:
            form.add_error(None, _("The chain has no steps."))
        else:
            return redirect("escalation:run", pk=run.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "beredskab/escalation/chain_test.html",
        {"chain": chain, "form": form},
        status=status,
    )


def _private(response: HttpResponse) -> HttpResponse:
    """The ack page holds a live token in its URL and in its form: no cache (browser,
    proxy) keeps it. (Referer: the site's "same-origin" policy already keeps the URL
    from other sites; "no-referrer" would make browsers send "Origin: null" with the
    page's own POST, which the CSRF check refuses.)"""
    add_never_cache_headers(response)  # Cache-Control: no-store, no-cache, ... private
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def ack_link(request: HttpRequest, token: str) -> HttpResponse:
    return _private(_ack_link(request, token))


def _ack_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the SMS. GET only shows; only the POST acknowledges, so a link
    preview by a phone or a mail scanner does nothing."""
    if request.method == "POST":
        result = engine.acknowledge_with_token(token)
        if result is None or result.ended:
            return _ack_invalid_or_ended(request, token)
        return render(
            request,
            "beredskab/escalation/ack_done.html",
            {"result": result, "run": result.step.run},
        )
    ack = engine.find_token(token)
    if ack is None or ack.recipient.step.run.has_ended:
        return _ack_invalid_or_ended(request, token)
    step = ack.recipient.step
    return render(
        request,
        "beredskab/escalation/ack.html",
        {"run": step.run, "step": step, "person": ack.recipient.person, "token": token},
    )


def _ack_invalid_or_ended(request: HttpRequest, token: str) -> HttpResponse:
    """A link whose case has ended says so, when and by whom (200: nothing is wrong);
    an unknown, used or expired link is not valid (410)."""
    run = ended_run_for_token(token)
    if run is not None:
        return render(request, "beredskab/escalation/ack_ended.html", {"run": run})
    return render(request, "beredskab/escalation/ack_invalid.html", status=410)
