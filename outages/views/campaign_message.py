"""A campaign's message: compose with the live length, confirm with the password,
approve (when a second person must). Sending happens once, in the service."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from outages import access
from outages.forms.campaign import (
    ComposeForm,
    PasswordForm,
)
from outages.models import Campaign, CampaignError, CampaignStatus
from outages.services import campaigns as service
from outages.views.campaigns import redirect_to_step

POLL_SECONDS = 5
POLL_FOR = timedelta(days=1)
S = CampaignStatus

# --- The message ---


def _compose_context(item: Campaign, form: ComposeForm, template: str, user) -> dict:
    measure = service.measure(item, template)
    return {
        "campaign": item,
        "form": form,
        "measure": measure,
        "placeholders": service.PLACEHOLDERS,
        "follow_up": item.status == S.SENDING,
        "see_citizens": access.may_see_citizens(user, item),
    }


def _refusal(exc: CampaignError) -> str | None:
    """The Danish (or English) text for a refusal the person can act on."""
    if isinstance(exc, service.OverCap | service.NumbersRefused):
        return exc.text()
    if isinstance(exc, service.FlagsOpen):
        return _(
            "Refused: imported values are flagged and not yet checked. Confirm or exclude "
            "them in the preview of the bookings first. Nothing was sent."
        )
    return None


def _send_context(item: Campaign, message, *, sender_id, exclude=None) -> dict:
    """What both the sender and the approver see before anything goes out: the count,
    the caps, the flagged values still open, and every distinct text with its count."""
    count = service.sms_count(item)
    texts = service.distinct_texts(item, message.template)
    return {
        "campaign": item,
        "message": message,
        "count": count,
        "would_send": item.recipients.count() - count,
        "measure": service.measure(item, message.template, samples=0),
        "texts": texts,
        "limits": service.limits(count, sender_id, timezone.now(), exclude=exclude),
        "open_flags": service.open_flags(item).count(),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def campaign_compose(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk, write=True)
    if item.status not in (S.DRAFT, S.SENDING):
        messages.error(request, _("No message can be written now."))
        return redirect_to_step(item)
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
            request,
            "outages/campaign_compose.html",
            _compose_context(item, form, template, request.user),
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
            return redirect_to_step(item)
        return redirect_to_step(item, "outages:campaign_confirm")
    # The preview without JavaScript: the same page, counted with the new text.
    if form.is_valid():
        item.rebook = form.cleaned_data["rebook"]
    return render(
        request,
        "outages/campaign_compose.html",
        _compose_context(item, form, template, request.user),
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
        _compose_context(item, form, request.POST.get("template", "")[:1000], request.user),
    )


# --- Confirm, approve ---


@never_cache
@require_http_methods(["GET", "POST"])
def campaign_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk, write=True)
    draft = item.draft_message()
    if request.method == "GET" and (draft is None or item.status not in (S.DRAFT, S.SENDING)):
        messages.info(request, _("There is no message waiting to be confirmed."))
        return redirect_to_step(item)
    form = PasswordForm(
        request.POST if request.method == "POST" else None,
        request=request,
        initial={"message": draft.pk if draft else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = service.confirm(item, form.cleaned_data["message"], actor=request.user)
        except service.AlreadyDone:
            messages.info(request, _("This message was already confirmed; nothing more was sent."))
            return redirect_to_step(item)
        except CampaignError as exc:
            refusal = _refusal(exc)
            if refusal is None:
                messages.error(request, _("The campaign changed meanwhile; nothing was sent."))
                return redirect_to_step(item)
            form.add_error(None, refusal)
        else:
            return _confirmed(request, item, outcome)
    if draft is None:
        messages.info(request, _("This message was already confirmed; nothing more was sent."))
        return redirect_to_step(item)
    context = _send_context(item, draft, sender_id=request.user.pk)
    context.update({"form": form, "require_approval": _require_approval()})
    return render(
        request,
        "outages/campaign_confirm.html",
        context,
        status=400 if form.errors else 200,
    )


def _confirmed(request: HttpRequest, item: Campaign, outcome: str) -> HttpResponse:
    if outcome == S.AWAITING_APPROVAL:
        messages.success(request, _("Confirmed. Another person must now approve it."))
    else:
        messages.success(request, _("The SMS are on their way."))
    return redirect_to_step(item)


def _require_approval() -> bool:
    return settings.CAMPAIGN_REQUIRE_APPROVAL


@never_cache
@require_http_methods(["GET", "POST"])
def campaign_approve(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk, approve=True)
    awaiting = item.messages.filter(confirmed_at__isnull=False, sent_at__isnull=True).first()
    if item.status != S.AWAITING_APPROVAL or awaiting is None:
        messages.info(request, _("Nothing is waiting for approval."))
        return redirect_to_step(item)
    own = awaiting.confirmed_by_id == request.user.pk
    form = PasswordForm(
        request.POST if request.method == "POST" else None,
        request=request,
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
            return redirect_to_step(item)
        except CampaignError as exc:
            refusal = _refusal(exc)
            if refusal is None:
                messages.error(request, _("The campaign changed meanwhile; nothing was sent."))
                return redirect_to_step(item)
            form.add_error(None, refusal)
            status = 400
        else:
            messages.success(request, _("Approved. The SMS are on their way."))
            return redirect_to_step(item)
    elif request.method == "POST":
        status = 400
    context = _send_context(item, awaiting, sender_id=awaiting.confirmed_by_id, exclude=awaiting.pk)
    context.update({"form": None if own else form, "own": own, "approving": True})
    return render(request, "outages/campaign_confirm.html", context, status=status)
