"""Letters to the people affected (art. 34): the page, its three forms and the PDF.

Read like the incident (access.get_incident_for), changed by who manages the log;
every view of the page and of the PDF is in the incident's view log."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from beredskab.access import can
from incidents import access
from incidents.forms.letters import LetterListForm, LettersSentForm, LetterTextForm
from incidents.models import LetterText, Viewed
from incidents.pdf import pdf_response
from incidents.services import letters
from incidents.viewlog import log_view


def _letter(incident) -> LetterText | None:
    return LetterText.objects.filter(incident=incident).first()


def _page(request: HttpRequest, incident, status: int = 200, **forms) -> HttpResponse:
    letter = _letter(incident)
    recipients = incident.letter_recipients.all()
    count = len(recipients)
    per_pdf = settings.LETTERS_PER_PDF
    parts = [
        {"part": n + 1, "first": n * per_pdf + 1, "last": min((n + 1) * per_pdf, count)}
        for n in range((count + per_pdf - 1) // per_pdf)
    ]
    context = {
        "incident": incident,
        "letter": letter,
        "recipients": recipients,
        "parts": parts,
        "unsent": sum(1 for r in recipients if r.sent_on is None),
        "can_manage": can(request.user, "manage_incident_log"),
        "text_form": LetterTextForm(
            instance=letter, initial=None if letter else letters.draft_texts(incident)
        ),
        "list_form": LetterListForm(),
        "sent_form": LettersSentForm(initial={"sent_on": timezone.localdate()}),
        **forms,
    }
    return render(request, "incidents/letters.html", context, status=status)


@require_GET
def letters_page(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident_for(request.user, pk)
    log_view(request.user, incident, Viewed.LETTERS)
    return _page(request, incident)


@require_POST
def save_text(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident_for(request.user, pk, write=True)
    form = LetterTextForm(request.POST, instance=_letter(incident))
    if not form.is_valid():
        return _page(request, incident, status=400, text_form=form)
    letters.save_text(incident, actor=request.user, **form.cleaned_data)
    messages.success(request, _("The letter is saved."))
    return redirect("incidents:letters", pk=incident.pk)


@require_POST
def import_list(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident_for(request.user, pk, write=True)
    form = LetterListForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            data = form.cleaned_data["file"].read()
            rows = letters.import_list(incident, data, actor=request.user)
        except letters.LetterImportFailed as failed:
            for error in failed.errors[:20]:
                form.add_error("file", error)
        else:
            messages.success(
                request, _("%(count)s people were added to the list.") % {"count": len(rows)}
            )
            return redirect("incidents:letters", pk=incident.pk)
    return _page(request, incident, status=400, list_form=form)


@require_POST
def record_sent(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident_for(request.user, pk, write=True)
    form = LettersSentForm(request.POST)
    if not form.is_valid():
        return _page(request, incident, status=400, sent_form=form)
    count = letters.record_sent(
        incident,
        sent_on=form.cleaned_data["sent_on"],
        via=form.cleaned_data["via"],
        actor=request.user,
    )
    messages.success(request, _("%(count)s letters are recorded as sent.") % {"count": count})
    return redirect("incidents:letters", pk=incident.pk)


@require_GET
def letters_pdf(request: HttpRequest, pk: int, part: int) -> HttpResponse:
    """One letter per person, each on its own page, in Danish (the people are Danish
    citizens, whatever the reader's language)."""
    incident = access.get_incident_for(request.user, pk)
    letter = _letter(incident)
    per_pdf = settings.LETTERS_PER_PDF
    recipients = list(incident.letter_recipients.all()[(part - 1) * per_pdf : part * per_pdf])
    if letter is None or not recipients:
        raise Http404
    log_view(request.user, incident, Viewed.LETTERS_PDF)
    with translation.override("da"):
        return pdf_response(
            request,
            "incidents/letters_print.html",
            {
                "incident": incident,
                "letter": letter,
                "recipients": recipients,
                "today": timezone.localdate(),
            },
            f"breve-{incident.reference}-{part}.pdf",
        )
