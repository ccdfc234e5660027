"""Messages to departments and press texts: write, preview with the count, confirm.

Sending reaches outside the portal in the municipality's name: the confirm step asks
for the password again (beredskab.reauth, outside its window) and the service refuses
over the daily caps. The media list is kept on its own page (manage_media_list).
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beredskab import broadcast as service
from beredskab import timeline
from beredskab.access import require_perm
from beredskab.forms.broadcast import (
    BroadcastForm,
    MediaOutletForm,
    PressTextForm,
    template_initial,
)
from beredskab.models import Broadcast, MediaOutlet, MessageTemplate, OutboxMessage, PressText
from beredskab.reauth import ReauthForm
from beredskab.roles import labels_of

# Over a daily cap: the request was fine, there were just too many of them.
TOO_MANY = 429


@require_GET
@require_perm("send_broadcast")
def broadcast_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "beredskab/broadcast/list.html",
        {
            "broadcasts": Broadcast.objects.prefetch_related("departments")[:100],
            "press_texts": PressText.objects.all()[:100],
        },
    )


def _preview(request, form, reauth, *, error: str = "", status: int = 200) -> HttpResponse:
    data = form.cleaned_data
    counts = service.reach(
        data["departments"],
        data["include_subunits"],
        data["by_sms"],
        data["by_email"],
        data["excluded_roles"],
    )
    return render(
        request,
        "beredskab/broadcast/preview.html",
        {
            "form": form,
            "reach": counts,
            "excluded_labels": labels_of(data["excluded_roles"]),
            "reauth": reauth,
            "allowance": service.broadcast_allowance(request.user),
            "error": error,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require_perm("send_broadcast")
def broadcast_new(request: HttpRequest) -> HttpResponse:
    templates = MessageTemplate.objects.filter(purpose=MessageTemplate.Purpose.BROADCAST)
    if request.method == "GET":
        form = BroadcastForm(initial=template_initial("broadcast", request.GET.get("template")))
        return render(
            request, "beredskab/broadcast/new.html", {"form": form, "templates": templates}
        )
    form = BroadcastForm(request.POST)
    action = request.POST.get("action")
    if not form.is_valid() or action == "edit":
        return render(
            request,
            "beredskab/broadcast/new.html",
            {"form": form, "templates": templates},
            status=200 if form.is_valid() else 400,
        )
    if action != "send":
        # The preview: who and how many, before anything is stored or sent.
        return _preview(request, form, ReauthForm(request=request))
    reauth = ReauthForm(request.POST, request=request)
    if not reauth.is_valid():
        return _preview(request, form, reauth, status=400)
    data = form.cleaned_data
    try:
        sent = service.send_broadcast(
            departments=list(data["departments"]),
            include_subunits=data["include_subunits"],
            by_sms=data["by_sms"],
            by_email=data["by_email"],
            subject=data["subject"],
            body=data["body"],
            actor=request.user,
            nonce=data["nonce"],
            is_exercise=data["is_exercise"],
            context_key=request.POST.get("context_key", "")[:60],
            excluded_roles=data["excluded_roles"],
        )
    except service.BroadcastError as error:
        status = TOO_MANY if isinstance(error, service.OverCap) else 400
        return _preview(request, form, reauth, error=str(error), status=status)
    messages.success(request, _("The message is on its way."))
    return redirect("broadcast:detail", pk=sent.pk)


@require_GET
@require_perm("send_broadcast")
def broadcast_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Broadcast.objects.prefetch_related("departments"), pk=pk)
    counts = OutboxMessage.objects.for_group(item.group_key).counts_by_label()
    return render(
        request,
        "beredskab/broadcast/detail.html",
        {
            "item": item,
            "counts": counts,
            "excluded_labels": labels_of(item.excluded_roles),
            "events": timeline.events_for(item),
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm("send_broadcast")
def press_new(request: HttpRequest) -> HttpResponse:
    templates = MessageTemplate.objects.filter(purpose=MessageTemplate.Purpose.PRESS)
    if request.method == "GET":
        form = PressTextForm(initial=template_initial("press", request.GET.get("template")))
        return render(
            request, "beredskab/broadcast/press_form.html", {"form": form, "templates": templates}
        )
    form = PressTextForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "beredskab/broadcast/press_form.html",
            {"form": form, "templates": templates},
            status=400,
        )
    data = form.cleaned_data
    press = service.write_press_text(
        title=data["title"],
        body=data["body"],
        outlets=list(data["outlets"]),
        is_exercise=data["is_exercise"],
        actor=request.user,
        context_key=request.POST.get("context_key", ""),
    )
    return redirect("broadcast:press_detail", pk=press.pk)


def _press_page(request, press, reauth, *, error: str = "", status: int = 200) -> HttpResponse:
    counts = OutboxMessage.objects.for_group(press.group_key).counts_by_label()
    return render(
        request,
        "beredskab/broadcast/press_detail.html",
        {
            "press": press,
            "recipients": press.recipient_list(),
            "counts": counts,
            "events": timeline.events_for(press),
            "reauth": reauth,
            "allowance": service.press_allowance(request.user),
            "error": error,
        },
        status=status,
    )


@require_GET
@require_perm("send_broadcast")
def press_detail(request: HttpRequest, pk: int) -> HttpResponse:
    press = get_object_or_404(PressText, pk=pk)
    return _press_page(request, press, ReauthForm(request=request))


@require_POST
@require_perm("send_broadcast")
def press_send(request: HttpRequest, pk: int) -> HttpResponse:
    press = get_object_or_404(PressText, pk=pk)
    reauth = ReauthForm(request.POST, request=request)
    if not reauth.is_valid():
        return _press_page(request, press, reauth, status=400)
    try:
        service.send_press_text(press, actor=request.user)
    except service.BroadcastError as error:
        status = TOO_MANY if isinstance(error, service.OverCap) else 400
        return _press_page(request, press, reauth, error=str(error), status=status)
    messages.success(request, _("The press text is on its way."))
    return redirect("broadcast:press_detail", pk=press.pk)


# --- The media list: the only addresses press texts go to ---


def _save_outlet(form: MediaOutletForm, actor) -> MediaOutlet:
    adding = form.instance.pk is None
    with transaction.atomic():
        outlet = form.save()
        timeline.record(
            outlet,
            "media_outlet.added" if adding else "media_outlet.changed",
            actor=actor,
            data={"name": outlet.name, "email": outlet.email, "active": outlet.active},
        )
    return outlet


@require_http_methods(["GET", "POST"])
@require_perm("manage_media_list")
def media_list(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = MediaOutletForm(request.POST, request=request)
        if form.is_valid():
            outlet = _save_outlet(form, request.user)
            messages.success(request, _("%(name)s is on the media list.") % {"name": outlet.name})
            return redirect("broadcast:media")
        status = 400
    else:
        form = MediaOutletForm(request=request)
    return render(
        request,
        "beredskab/broadcast/media_list.html",
        {"outlets": MediaOutlet.objects.all(), "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require_perm("manage_media_list")
def media_edit(request: HttpRequest, pk: int) -> HttpResponse:
    outlet = get_object_or_404(MediaOutlet, pk=pk)
    status = 200
    if request.method == "POST":
        form = MediaOutletForm(request.POST, instance=outlet, request=request)
        if form.is_valid():
            _save_outlet(form, request.user)
            messages.success(request, _("The media list is saved."))
            return redirect("broadcast:media")
        status = 400
    else:
        form = MediaOutletForm(instance=outlet, request=request)
    return render(
        request,
        "beredskab/broadcast/media_edit.html",
        {"outlet": outlet, "form": form, "events": timeline.events_for(outlet)},
        status=status,
    )
