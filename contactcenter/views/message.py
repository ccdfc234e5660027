"""The crisis message: write a draft (from a template), preview, publish, withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beredskab import timeline
from contactcenter import access
from contactcenter.forms import CrisisMessageForm
from contactcenter.models import CrisisMessage, MessageError
from contactcenter.models.message import has_placeholders, publish_problem
from contactcenter.plan import CRISIS_TEMPLATES


def _message_for(user, pk: int, write: bool = False) -> CrisisMessage:
    access.require(access.can_write_message(user))
    return get_object_or_404(CrisisMessage, pk=pk)


@require_GET
def message_list(request: HttpRequest) -> HttpResponse:
    access.require(access.can_write_message(request.user))
    return render(
        request,
        "contactcenter/message_list.html",
        {
            "live": CrisisMessage.objects.live().first(),
            "drafts": CrisisMessage.objects.drafts(),
            "history": CrisisMessage.objects.exclude(status=CrisisMessage.Status.DRAFT)
            .exclude(status=CrisisMessage.Status.LIVE)
            .order_by("-version")[:50],
            "templates": CRISIS_TEMPLATES,
            # The link is shown only to those the integrations page lets in.
            "may_manage_integrations": access.can_manage_integrations(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def message_new(request: HttpRequest) -> HttpResponse:
    access.require(access.can_write_message(request.user))
    if request.method == "POST":
        form = CrisisMessageForm(request.POST)
        if form.is_valid():
            key = form.cleaned_data["template_key"]
            message = CrisisMessage.write(
                form.cleaned_data["body"],
                actor=request.user,
                template_key=key if key in CRISIS_TEMPLATES else "",
            )
            return redirect("contactcenter:message", pk=message.pk)
        status = 400
    else:
        key = request.GET.get("template", "")
        template = CRISIS_TEMPLATES.get(key)
        form = CrisisMessageForm(
            initial={"body": template["body"], "template_key": key} if template else {}
        )
        status = 200
    return render(
        request,
        "contactcenter/message_form.html",
        {"form": form, "templates": CRISIS_TEMPLATES, "message": None},
        status=status,
    )


@require_GET
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = _message_for(request.user, pk)
    return render(
        request,
        "contactcenter/message_detail.html",
        {
            "message": message,
            "can_publish": access.can_publish(request.user),
            "problem": publish_problem(message.body) if message.is_draft else None,
            "placeholders": has_placeholders(message.body),
            "length": len(message.body),
            "events": timeline.events_for(message),
        },
    )


@require_http_methods(["GET", "POST"])
def message_edit(request: HttpRequest, pk: int) -> HttpResponse:
    message = _message_for(request.user, pk, write=True)
    if not message.is_draft:
        raise Http404("only drafts are edited")
    status = 200
    if request.method == "POST":
        form = CrisisMessageForm(request.POST)
        if form.is_valid():
            message.edit(form.cleaned_data["body"], actor=request.user)
            return redirect("contactcenter:message", pk=message.pk)
        status = 400
    else:
        form = CrisisMessageForm(initial={"body": message.body})
    return render(
        request,
        "contactcenter/message_form.html",
        {"form": form, "templates": None, "message": message},
        status=status,
    )


@require_POST
def message_publish(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_publish(request.user))
    message = get_object_or_404(CrisisMessage, pk=pk)
    try:
        # The revision the publisher read on the page; without it nothing was reviewed.
        reviewed = int(request.POST.get("revision", ""))
    except ValueError:
        reviewed = -1
    try:
        message.publish(actor=request.user, reviewed_revision=reviewed)
    except MessageError as error:
        message.refresh_from_db()
        return render(
            request,
            "contactcenter/message_detail.html",
            {
                "message": message,
                "can_publish": True,
                "problem": str(error),
                "placeholders": has_placeholders(message.body),
                "length": len(message.body),
                "events": timeline.events_for(message),
            },
            status=400,
        )
    messages.success(
        request,
        _("Version %(version)d is live: the phone robot reads it from now on.")
        % {"version": message.version},
    )
    return redirect("contactcenter:message", pk=message.pk)


@require_POST
def message_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_publish(request.user))
    message = get_object_or_404(CrisisMessage, pk=pk)
    try:
        message.withdraw(actor=request.user)
    except MessageError as error:
        messages.error(request, str(error))
        return redirect("contactcenter:message", pk=message.pk)
    messages.success(request, _("The message is withdrawn: the robot has no crisis message now."))
    return redirect("contactcenter:message", pk=message.pk)


@require_POST
def message_copy(request: HttpRequest, pk: int) -> HttpResponse:
    message = _message_for(request.user, pk)
    draft = message.new_version(actor=request.user)
    return redirect("contactcenter:message_edit", pk=draft.pk)
