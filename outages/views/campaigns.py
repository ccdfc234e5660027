"""Booking cancellation by mass SMS: start, load the bookings, write, confirm, watch.

Every view goes through outages.access (send_mass_sms; approve_mass_sms to approve)
and calls one function of outages.services.campaigns / campaign_import. Pages that
show citizens' names or numbers are never cached (`never_cache`) and carry
`hx-history="false"`; citizens' data is never in a URL (campaigns go by id).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beredskab import timeline
from beredskab.importer import ImportFailed
from outages import access
from outages.forms.campaign import (
    CampaignStartForm,
    ComposeForm,
    MappingForm,
    PasswordForm,
    PasteForm,
    RetryForm,
    UploadForm,
)
from outages.models import Campaign, CampaignError, CampaignStatus, CampaignUpload, ExerciseNumber
from outages.services import campaign_import as importer
from outages.services import campaigns as service

POLL_SECONDS = 5
POLL_FOR = timedelta(days=1)
S = CampaignStatus


def _go(campaign: Campaign, name: str = "outages:campaign") -> HttpResponse:
    return redirect(name, pk=campaign.pk)


# --- List and start ---


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    access.require_campaigns(request.user)
    exercises = request.GET.get("exercises") == "1"
    campaigns = Campaign.objects.exercises() if exercises else Campaign.objects.real()
    return render(
        request,
        "outages/campaign_list.html",
        {"campaigns": campaigns[:100], "exercises": exercises},
    )


@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    access.require_campaigns(request.user)
    if request.method == "POST":
        form = CampaignStartForm(request.POST)
    else:
        initial = {}
        if request.GET.get("power", "").isdigit():
            initial["outage"] = f"power:{request.GET['power']}"
        elif request.GET.get("system", "").isdigit():
            initial["outage"] = f"system:{request.GET['system']}"
        form = CampaignStartForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = service.start(
            request.user,
            period_start=data["period_start"],
            period_end=data["period_end"],
            place=data["place"],
            reason=data["reason"],
            power_outage=data["power_outage"],
            system_outage=data["system_outage"],
            is_exercise=data["is_exercise"],
            nonce=data["nonce"],
        )
        return _go(campaign, "outages:campaign_import")
    status = 400 if request.method == "POST" else 200
    return render(request, "outages/campaign_new.html", {"form": form}, status=status)


# --- The campaign: its state, the next step, and the live counts ---


def _sent_messages(campaign: Campaign) -> list[dict]:
    rows = []
    now = timezone.now()
    for message in campaign.messages.filter(sent_at__isnull=False).order_by("position"):
        message.campaign = campaign
        progress = service.progress(message, now)
        rows.append(
            {
                "message": message,
                "progress": progress,
                "failed": service.failed_recipients(message) if not campaign.is_purged else [],
                "retry_form": RetryForm(
                    initial={"message": message.pk, "round": message.retry_rounds + 1}
                ),
            }
        )
    return rows


def campaign_context(request: HttpRequest, campaign: Campaign) -> dict:
    sent = _sent_messages(campaign)
    return {
        "campaign": campaign,
        "sent": sent,
        # Poll while anything may still change (delivery reports included, for a day);
        # a finished campaign's page stays still.
        "polling": any(
            not row["progress"].final and row["message"].sent_at > timezone.now() - POLL_FOR
            for row in sent
        ),
        "now": timezone.now(),
        "poll_seconds": POLL_SECONDS,
        "sending": campaign.status == S.SENDING,
    }


@never_cache
@require_GET
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's page; while it sends, the watch page (htmx polls #progress)."""
    item = access.get_campaign_for(request.user, pk)
    context = campaign_context(request, item)
    template = "outages/campaign.html"
    if request.htmx:
        template += "#progress"
    else:
        draft = item.draft_message()
        awaiting = (
            item.messages.filter(confirmed_at__isnull=False, sent_at__isnull=True).first()
            if item.status == S.AWAITING_APPROVAL
            else None
        )
        context.update(
            {
                "draft": draft,
                "awaiting": awaiting,
                "may_approve": awaiting is not None
                and access.may_approve_campaigns(request.user)
                and awaiting.confirmed_by_id != request.user.pk,
                "recipient_count": item.recipients.count(),
                "exercise_numbers": ExerciseNumber.objects.all() if item.is_exercise else None,
                "events": timeline.events_for(item),
            }
        )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- Bookings: upload or paste, map the columns, preview ---


def _import_page(request, item, upload_form, paste_form, status: int) -> HttpResponse:
    return render(
        request,
        "outages/campaign_import.html",
        {"campaign": item, "upload_form": upload_form, "paste_form": paste_form},
        status=status,
    )


def _not_editable(request, item) -> HttpResponse:
    messages.error(request, _("The bookings cannot be changed once the campaign is confirmed."))
    return _go(item)


@never_cache
@require_http_methods(["GET", "POST"])
def campaign_import(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk, write=True)
    if not item.is_editable:
        return _not_editable(request, item)
    if request.method == "GET":
        return _import_page(request, item, UploadForm(), PasteForm(), 200)
    if "numbers" in request.POST:
        paste_form = PasteForm(request.POST)
        if paste_form.is_valid():
            try:
                preview = importer.parse_pasted(paste_form.cleaned_data["numbers"], item)
                importer.store_preview(item, preview, actor=request.user)
            except ImportFailed as exc:
                paste_form.add_error("numbers", str(exc))
            except CampaignError:
                return _not_editable(request, item)
            else:
                return _go(item, "outages:campaign_preview")
        return _import_page(request, item, UploadForm(), paste_form, 400)
    upload_form = UploadForm(request.POST, request.FILES)
    if upload_form.is_valid():
        try:
            preview = importer.load_file(
                item, upload_form.cleaned_data["file"].read(), actor=request.user
            )
        except ImportFailed as exc:
            upload_form.add_error("file", str(exc))
        except CampaignError:
            return _not_editable(request, item)
        else:
            if "mobile" not in preview.mapping:
                messages.info(request, _("Say which column holds what. It is remembered."))
                return _go(item, "outages:campaign_mapping")
            return _go(item, "outages:campaign_preview")
    return _import_page(request, item, upload_form, PasteForm(), 400)


@never_cache
@require_http_methods(["GET", "POST"])
def campaign_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk, write=True)
    if not item.is_editable:
        return _not_editable(request, item)
    upload = CampaignUpload.objects.filter(campaign=item).first()
    if upload is None:
        messages.info(request, _("Upload the booking system's export first."))
        return _go(item, "outages:campaign_import")
    header = list(upload.header)
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        header=header,
        initial_mapping=importer.known_mapping(header),
    )
    if request.method == "POST" and form.is_valid():
        try:
            importer.apply_mapping(item, form.mapping(), actor=request.user)
        except ImportFailed as exc:
            form.add_error(None, str(exc))
        except CampaignError:
            return _not_editable(request, item)
        else:
            return _go(item, "outages:campaign_preview")
    status = 400 if form.errors else 200
    return render(
        request,
        "outages/campaign_mapping.html",
        {"campaign": item, "form": form, "header": header},
        status=status,
    )


@never_cache
@require_GET
def campaign_preview(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk)
    summary = item.import_summary or {}
    rejected = [
        {"row": number, "reason": importer.REASONS.get(code, code)}
        for number, code in summary.get("rejected", [])
    ]
    return render(
        request,
        "outages/campaign_preview.html",
        {
            "campaign": item,
            "summary": summary,
            "rejected": rejected,
            "has_upload": CampaignUpload.objects.filter(campaign=item).exists(),
        },
    )


# --- The message ---


def _compose_context(item: Campaign, form: ComposeForm, template: str) -> dict:
    measure = service.measure(item, template)
    return {
        "campaign": item,
        "form": form,
        "measure": measure,
        "placeholders": service.PLACEHOLDERS,
        "follow_up": item.status == S.SENDING,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def campaign_compose(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk, write=True)
    if item.status not in (S.DRAFT, S.SENDING):
        messages.error(request, _("No message can be written now."))
        return _go(item)
    draft = item.draft_message()
    if request.method == "GET":
        if draft is not None:
            template = draft.template
        elif item.status == S.SENDING:
            template = service.DEFAULT_FOLLOW_UP
        else:
            template = service.DEFAULT_TEMPLATE
        form = ComposeForm(initial={"template": template, "rebook": item.rebook})
        return render(
            request, "outages/campaign_compose.html", _compose_context(item, form, template)
        )
    form = ComposeForm(request.POST)
    template = request.POST.get("template", "")
    if form.is_valid() and request.POST.get("action") == "save":
        try:
            service.compose(
                item,
                template=form.cleaned_data["template"],
                rebook=form.cleaned_data["rebook"],
                actor=request.user,
            )
        except CampaignError:
            messages.error(request, _("The message could not be saved now."))
            return _go(item)
        return _go(item, "outages:campaign_confirm")
    # The preview without JavaScript: the same page, counted with the new text.
    if form.is_valid():
        item.rebook = form.cleaned_data["rebook"]
    return render(
        request,
        "outages/campaign_compose.html",
        _compose_context(item, form, template),
        status=400 if form.errors else 200,
    )


@never_cache
@require_POST
def campaign_count(request: HttpRequest, pk: int) -> HttpResponse:
    """The live count (htmx, on input): the compose page's #count fragment alone."""
    item = access.get_campaign_for(request.user, pk)
    form = ComposeForm(request.POST)
    item.rebook = request.POST.get("rebook", item.rebook)[:200]
    return render(
        request,
        "outages/campaign_compose.html#count",
        _compose_context(item, form, request.POST.get("template", "")[:1000]),
    )


# --- Confirm, approve ---


@never_cache
@require_http_methods(["GET", "POST"])
def campaign_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk, write=True)
    draft = item.draft_message()
    if request.method == "GET" and (draft is None or item.status not in (S.DRAFT, S.SENDING)):
        messages.info(request, _("There is no message waiting to be confirmed."))
        return _go(item)
    form = PasswordForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"message": draft.pk if draft else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = service.confirm(item, form.cleaned_data["message"], actor=request.user)
        except service.AlreadyDone:
            messages.info(request, _("This message was already confirmed; nothing more was sent."))
            return _go(item)
        except CampaignError:
            messages.error(request, _("The campaign changed meanwhile; nothing was sent."))
            return _go(item)
        if outcome == S.AWAITING_APPROVAL:
            messages.success(request, _("Confirmed. Another person must now approve it."))
        else:
            messages.success(request, _("The SMS are on their way."))
        return _go(item)
    if draft is None:
        messages.info(request, _("This message was already confirmed; nothing more was sent."))
        return _go(item)
    count = service.sms_count(item)
    return render(
        request,
        "outages/campaign_confirm.html",
        {
            "campaign": item,
            "message": draft,
            "form": form,
            "count": count,
            "would_send": item.recipients.count() - count,
            "measure": service.measure(item, draft.template),
            "require_approval": _require_approval(),
        },
        status=400 if form.errors else 200,
    )


def _require_approval() -> bool:
    return settings.CAMPAIGN_REQUIRE_APPROVAL


@never_cache
@require_http_methods(["GET", "POST"])
def campaign_approve(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk, approve=True)
    awaiting = item.messages.filter(confirmed_at__isnull=False, sent_at__isnull=True).first()
    if item.status != S.AWAITING_APPROVAL or awaiting is None:
        messages.info(request, _("Nothing is waiting for approval."))
        return _go(item)
    own = awaiting.confirmed_by_id == request.user.pk
    form = PasswordForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"message": awaiting.pk},
    )
    status = 200
    if request.method == "POST" and own:
        status = 403
    elif request.method == "POST" and form.is_valid():
        try:
            service.approve(item, form.cleaned_data["message"], actor=request.user)
        except service.AlreadyDone:
            messages.info(request, _("It was already approved; nothing more was sent."))
            return _go(item)
        except CampaignError:
            messages.error(request, _("The campaign changed meanwhile; nothing was sent."))
            return _go(item)
        messages.success(request, _("Approved. The SMS are on their way."))
        return _go(item)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "outages/campaign_confirm.html",
        {
            "campaign": item,
            "message": awaiting,
            "form": None if own else form,
            "own": own,
            "approving": True,
            "count": service.sms_count(item),
            "would_send": item.recipients.count() - service.sms_count(item),
            "measure": service.measure(item, awaiting.template),
        },
        status=status,
    )


# --- While sending: retry, cancel, close ---


@require_POST
def campaign_retry(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk, write=True)
    form = RetryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the message to retry."))
        return _go(item)
    try:
        count = service.retry_failed(
            item,
            form.cleaned_data["message"],
            round_=form.cleaned_data["round"],
            actor=request.user,
        )
    except service.AlreadyDone:
        messages.info(request, _("These SMS were already sent again."))
    except CampaignError:
        messages.error(request, _("There is nothing to send again."))
    else:
        messages.success(
            request,
            ngettext("%(count)s SMS is sent again.", "%(count)s SMS are sent again.", count)
            % {"count": count},
        )
    return _go(item)


@require_POST
def campaign_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk, write=True)
    try:
        stopped = service.cancel(item, actor=request.user)
    except service.AlreadyDone:
        messages.info(request, _("The campaign was already cancelled."))
    except CampaignError:
        messages.error(request, _("The campaign cannot be cancelled now."))
    else:
        messages.success(
            request,
            ngettext(
                "The campaign is cancelled; %(count)s SMS was stopped before sending.",
                "The campaign is cancelled; %(count)s SMS were stopped before sending.",
                stopped,
            )
            % {"count": stopped},
        )
    return _go(item)


@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk, write=True)
    try:
        service.close(item, actor=request.user)
    except service.AlreadyDone:
        messages.info(request, _("The campaign was already closed."))
    except CampaignError:
        messages.error(request, _("The campaign cannot be closed now."))
    else:
        messages.success(request, _("The campaign is closed."))
    return _go(item)


# --- The report (stays after the purge) ---


@require_GET
def campaign_report(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk)
    now = timezone.now()
    rows = []
    for message in item.messages.order_by("position"):
        message.campaign = item
        rows.append({"message": message, "progress": service.progress(message, now)})
    return render(
        request,
        "outages/campaign_report.html",
        {"campaign": item, "rows": rows, "events": timeline.events_for(item)},
    )
