"""Severity assessment, decision, submissions, notification facts and the draft."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from incidents import access
from incidents.draft import draft_context
from incidents.forms.gdpr import AssessmentForm, DecisionForm, FactsForm, NotificationForm
from incidents.models import Decision, Viewed
from incidents.pdf import pdf_response
from incidents.services import IncidentError, gdpr
from incidents.viewlog import log_view


def _form_page(request, incident, form, template, **context) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"incident": incident, "form": form, **context}, status=status)


@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident_for(request.user, pk, write=True)
    form = AssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        gdpr.assess(incident, actor=request.user, **form.service_kwargs())
        messages.success(request, _("The assessment is saved. Now record the decision."))
        return redirect("incidents:decide", pk=incident.pk)
    return _form_page(
        request,
        incident,
        form,
        "incidents/assess.html",
        assessments=incident.assessments.all(),
    )


@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident_for(request.user, pk, write=True)
    assessment = incident.assessments.first()
    initial = {"inform_subjects": incident.inform_subjects}
    if incident.decision != Decision.PENDING:
        initial.update(decision=incident.decision, rationale=incident.decision_rationale)
    form = DecisionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            gdpr.decide(incident, actor=request.user, **form.cleaned_data)
        except IncidentError:
            form.add_error(None, _("The decision could not be recorded."))
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect(incident)
    return _form_page(
        request,
        incident,
        form,
        "incidents/decide.html",
        assessment=assessment,
        recommendation=assessment.recommendation() if assessment else None,
    )


@require_http_methods(["GET", "POST"])
def notify(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_notification_target_for(request.user, pk)
    first = not incident.notifications.exists()
    form = NotificationForm(
        request.POST if request.method == "POST" else None,
        initial={
            "phase": "initial" if first else "supplement",
            "submitted_at": timezone.localtime().replace(second=0, microsecond=0),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            gdpr.record_notification(incident, actor=request.user, **form.cleaned_data)
        except IncidentError:
            form.add_error("submitted_at", _("The time cannot be in the future."))
        else:
            messages.success(request, _("The submission is recorded."))
            return redirect(incident)
    return _form_page(
        request,
        incident,
        form,
        "incidents/form_page.html",
        title=_("Record a submission to Datatilsynet"),
        lead=_("Each phase of the notification (art. 33(4)) with its time and receipt number."),
    )


@require_http_methods(["GET", "POST"])
def facts(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident_for(request.user, pk, write=True)
    form = FactsForm(request.POST if request.method == "POST" else None, instance=incident)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        # The instance was changed in place by validation: start from the stored row.
        incident.refresh_from_db()
        gdpr.update_facts(incident, actor=request.user, **values)
        messages.success(request, _("The facts are saved."))
        return redirect(incident)
    return _form_page(
        request,
        incident,
        form,
        "incidents/form_page.html",
        title=_("Facts for the notification"),
        lead=_("What Datatilsynet's form asks for. Approximate numbers are fine."),
    )


@require_GET
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident_for(request.user, pk)
    log_view(request.user, incident, Viewed.DRAFT)
    return render(request, "incidents/draft.html", draft_context(incident))


@require_GET
def draft_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident_for(request.user, pk)
    log_view(request.user, incident, Viewed.DRAFT_PDF)
    return pdf_response(
        request,
        "incidents/draft_print.html",
        draft_context(incident),
        f"datatilsynet-{incident.reference}.pdf",
    )
