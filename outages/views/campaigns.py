"""Booking cancellation by mass SMS: start, load the bookings, write, confirm, watch.

Every view goes through outages.access (send_mass_sms; approve_mass_sms to approve)
and calls one function of outages.services.campaigns / campaign_import. Pages that
show citizens' names or numbers are never cached (`never_cache`) and carry
`hx-history="false"`; citizens' data is never in a URL (campaigns go by id).
"""

from __future__ import annotations

from datetime import timedelta

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
from outages import access
from outages.forms.campaign import (
    CampaignStartForm,
    RetryForm,
)
from outages.models import Campaign, CampaignError, CampaignStatus, ExerciseNumber
from outages.services import campaigns as service

POLL_SECONDS = 5
POLL_FOR = timedelta(days=1)
S = CampaignStatus


def redirect_to_step(campaign: Campaign, name: str = "outages:campaign") -> HttpResponse:
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
        return redirect_to_step(campaign, "outages:campaign_import")
    status = 400 if request.method == "POST" else 200
    return render(request, "outages/campaign_new.html", {"form": form}, status=status)


# --- The campaign: its state, the next step, and the live counts ---


def _sent_messages(campaign: Campaign, see_citizens: bool) -> list[dict]:
    rows = []
    now = timezone.now()
    for message in campaign.messages.filter(sent_at__isnull=False).order_by("position"):
        message.campaign = campaign
        progress = service.progress(message, now)
        rows.append(
            {
                "message": message,
                "progress": progress,
                # Names and numbers only for whom outages.access allows; others see counts.
                "failed": (
                    service.failed_recipients(message)
                    if see_citizens and not campaign.is_purged
                    else []
                ),
                "retry_form": RetryForm(
                    initial={"message": message.pk, "round": message.retry_rounds + 1}
                ),
            }
        )
    return rows


def campaign_context(request: HttpRequest, campaign: Campaign) -> dict:
    see_citizens = access.may_see_citizens(request.user, campaign)
    sent = _sent_messages(campaign, see_citizens)
    return {
        "campaign": campaign,
        "sent": sent,
        "see_citizens": see_citizens,
        # Poll while anything may still change (delivery reports included, for a day);
        # a finished campaign's page stays still.
        "polling": any(
            not row["progress"].final and row["message"].sent_at > timezone.now() - POLL_FOR
            for row in sent
        ),
        "now": timezone.now(),
        "poll_seconds": POLL_SECONDS,
        "sending": campaign.status == S.SENDING,
        **_sending_state(campaign, sent),
    }


def _sending_state(campaign: Campaign, sent: list[dict]) -> dict:
    """What the page says while a campaign sends: "Sending" until every SMS is with the
    provider (the status "Sent" is the campaign's state, not its messages'), and the stop
    button only while there is something left to stop."""
    if campaign.status != S.SENDING:
        return {"status_text": campaign.get_status_display(), "may_stop": True}
    handed_over = all(row["progress"].done for row in sent)
    return {
        "status_text": campaign.get_status_display() if handed_over else _("Sending"),
        "may_stop": not handed_over,
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


# --- While sending: retry, cancel, close ---


@require_POST
def campaign_retry(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk, write=True)
    form = RetryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the message to retry."))
        return redirect_to_step(item)
    try:
        count = service.retry_failed(
            item,
            form.cleaned_data["message"],
            round_=form.cleaned_data["round"],
            actor=request.user,
        )
    except service.AlreadyDone:
        messages.info(request, _("These SMS were already sent again."))
    except (service.OverCap, service.NumbersRefused) as exc:
        messages.error(request, exc.text())
    except CampaignError:
        messages.error(request, _("There is nothing to send again."))
    else:
        messages.success(
            request,
            ngettext("%(count)s SMS is sent again.", "%(count)s SMS are sent again.", count)
            % {"count": count},
        )
    return redirect_to_step(item)


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
    return redirect_to_step(item)


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
    return redirect_to_step(item)


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
