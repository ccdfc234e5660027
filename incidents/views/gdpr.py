"""Severity assessment, decision, the DPO's advice, submissions, facts and the draft."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from incidents import access, recommend
from incidents.draft import draft_context
from incidents.forms.gdpr import (
    AdviceForm,
    AssessmentForm,
    DecisionForm,
    FactsForm,
    NotificationForm,
    RiskFactsForm,
)
from incidents.models import Decision, Incident, Viewed
from incidents.models.risk import risk_facts_for
from incidents.pdf import pdf_response
from incidents.services import IncidentError, assessment, gdpr
from incidents.viewlog import log_view


def _form_page(request, incident, form, template, **context) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"incident": incident, "form": form, **context}, status=status)


@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    incident, acting_for = access.get_incident_for_assessment(request.user, pk)
    form = AssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        assessment.assess(
            incident, actor=request.user, acting_for=acting_for, **form.service_kwargs()
        )
        messages.success(request, _("The assessment is saved. Now record the decision."))
        return redirect("incidents:decide", pk=incident.pk)
    return _form_page(
        request,
        incident,
        form,
        "incidents/assess.html",
        acting_for=acting_for,
        assessments=incident.assessments.prefetch_related("adjustments"),
    )


@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    incident, acting_for = access.get_incident_for_assessment(request.user, pk)
    advice = recommend.for_incident(incident)
    initial = {"inform_subjects": incident.inform_subjects}
    if advice.unlikely_reasons:
        initial["no_risk_reason"] = advice.unlikely_reasons[0]
    if incident.decision != Decision.PENDING:
        initial.update(
            decision=incident.decision,
            rationale=incident.decision_rationale,
            no_risk_reason=incident.no_risk_reason or initial.get("no_risk_reason"),
        )
    form = DecisionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            gdpr.decide(incident, actor=request.user, acting_for=acting_for, **form.cleaned_data)
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
        acting_for=acting_for,
        assessment=incident.assessments.prefetch_related("adjustments").first(),
        recommendation=advice,
        dpo_advice=incident.advice.first(),
    )


@require_http_methods(["GET", "POST"])
def advise(request: HttpRequest, pk: int) -> HttpResponse:
    """The DPO's recommendation: recorded at any time; the decider sees it."""
    incident = access.get_incident_for_advice(request.user, pk)
    form = AdviceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        assessment.advise(incident, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your recommendation is recorded."))
        return redirect(incident)
    return _form_page(
        request,
        incident,
        form,
        "incidents/advise.html",
        recommendation=recommend.for_incident(incident),
        earlier=incident.advice.all(),
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
    data = request.POST if request.method == "POST" else None
    risk = risk_facts_for(incident)
    form = FactsForm(data, instance=incident)
    risk_form = RiskFactsForm(data, instance=risk if risk.pk else None, initial=_initial(risk))
    if request.method == "POST" and form.is_valid() and risk_form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        risk_values = {name: risk_form.cleaned_data[name] for name in risk_form.Meta.fields}
        # The instances were changed in place by validation: start from the stored rows.
        incident = Incident.objects.get(pk=incident.pk)
        gdpr.update_facts(incident, actor=request.user, risk=risk_values, **values)
        messages.success(request, _("The facts are saved."))
        return redirect(incident)
    return _form_page(
        request,
        incident,
        form,
        "incidents/facts.html",
        risk_form=risk_form,
    )


def _initial(risk) -> dict:
    # An unsaved row's defaults ("not known yet") preselected, so every question shows one.
    return {} if risk.pk else {name: getattr(risk, name) for name in RiskFactsForm.Meta.fields}


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
