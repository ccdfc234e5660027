"""One incident: its facts, clock, escalation and timeline; transitions and taskforce."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beredskab import throttle, timeline
from beredskab.access import can
from incidents import access, recommend
from incidents.forms.triage import AwarenessForm, TaskforceForm, TransitionForm
from incidents.models import Viewed
from incidents.services import IncidentError, triage
from incidents.services.report import release as release_report
from incidents.services.report import start_new_escalation, told
from incidents.standin import acting_for
from incidents.viewlog import log_view


def awareness_source(incident, events) -> str:
    """Where the clock's start comes from: a person's change (with its reason), the
    reporter's discovery time, or the report time."""
    changed = [e for e in events if e.kind == "incident.awareness_changed"]
    if changed:
        event = changed[-1]
        return _("Changed by %(who)s: %(reason)s") % {
            "who": event.actor_text,
            "reason": event.data.get("reason", ""),
        }
    if incident.discovered_at is not None and incident.aware_at == incident.discovered_at:
        return _("The reporter's discovery time")
    return _("The report time (the reporter gave no discovery time)")


def detail_context(request: HttpRequest, incident, **forms) -> dict:
    events = list(timeline.events_for(incident))
    context = {
        "incident": incident,
        "clock": incident.clock_view(),
        "systems": incident.systems.all(),
        "attachments": incident.attachments.all(),
        "assessment": incident.assessments.first(),
        "notifications": incident.notifications.all(),
        "told": told(incident),
        "held": throttle.is_held(incident),
        "may_release": throttle.may_release(request.user),
        "events": events,
        "awareness_source": awareness_source(incident, events),
        "recommendation": recommend.for_incident(incident),
        "dpo_advice": incident.advice.first(),
        "acting_for": acting_for(request.user),
        "can_assess": access.may_assess(request.user),
        "can_advise": access.may_advise(request.user),
        "can_manage": can(request.user, "manage_incident_log"),
        "can_record_notification": can(request.user, "record_datatilsynet_notification"),
        "can_decide_taskforce": access.may_decide_taskforce(request.user, incident),
        "can_see_views": access.may_see_view_log(request.user),
        "transition_form": TransitionForm(incident=incident),
        "awareness_form": AwarenessForm(
            initial={"aware_at": timezone.localtime(incident.aware_at)}, incident=incident
        ),
    }
    context.update(forms)
    return context


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident_for(request.user, pk)
    log_view(request.user, incident, Viewed.DETAIL)
    return render(request, "incidents/detail.html", detail_context(request, incident))


@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    """The systemkoordinator releases a report held by the report-rate bound."""
    if not throttle.may_release(request.user):
        raise PermissionDenied
    incident = access.get_incident_for(request.user, pk)
    if release_report(incident, actor=request.user):
        messages.success(request, _("The report is released and its escalation has started."))
    else:
        messages.info(request, _("The report was not held (any more)."))
    return redirect(incident)


@require_POST
def new_escalation(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a new escalation for a reopened incident whose run has ended."""
    incident = access.get_incident_for(request.user, pk, write=True)
    if start_new_escalation(incident, actor=request.user):
        messages.success(request, _("A new escalation has started."))
    else:
        messages.info(request, _("The incident's escalation is still running or it is closed."))
    return redirect(incident)


@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident_for(request.user, pk, write=True)
    form = TransitionForm(request.POST, incident=incident)
    if form.is_valid():
        try:
            triage.transition(
                incident,
                form.cleaned_data["to"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except IncidentError:
            form.add_error("to", _("The status changed meanwhile; try again."))
        else:
            messages.success(request, _("The status is changed."))
            return redirect(incident)
    context = detail_context(request, incident, transition_form=form)
    return render(request, "incidents/detail.html", context, status=400)


@require_POST
def awareness(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident_for(request.user, pk, write=True)
    form = AwarenessForm(request.POST, incident=incident)
    if form.is_valid():
        try:
            triage.set_awareness(
                incident,
                form.cleaned_data["aware_at"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except IncidentError:
            form.add_error("aware_at", _("The time cannot be in the future."))
        else:
            messages.success(request, _("The moment of awareness is changed."))
            return redirect(incident)
    context = detail_context(request, incident, awareness_form=form)
    return render(request, "incidents/detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
def taskforce(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident_for_taskforce(request.user, pk)
    initial = {
        "taskforce": incident.taskforce if incident.taskforce != "unknown" else None,
        "members": incident.taskforce_members,
        "reason": incident.taskforce_reason,
    }
    form = TaskforceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        triage.decide_taskforce(incident, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The taskforce decision is recorded."))
        return redirect(incident)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "incidents/form_page.html",
        {
            "incident": incident,
            "form": form,
            "title": _("Taskforce decision"),
            "lead": _("Decide whether to set up a taskforce, who is on it, and why."),
        },
        status=status,
    )
