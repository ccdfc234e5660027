"""Messages to departments and press texts: write, preview with the count, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beredskab import broadcast as service
from beredskab import timeline
from beredskab.access import require_perm
from beredskab.forms.broadcast import BroadcastForm, PressTextForm, template_initial
from beredskab.models import Broadcast, MessageTemplate, OutboxMessage, PressText


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
    if not form.is_valid():
        return render(
            request,
            "beredskab/broadcast/new.html",
            {"form": form, "templates": templates},
            status=400,
        )
    data = form.cleaned_data
    if request.POST.get("action") != "send":
        # The preview: who and how many, before anything is stored or sent.
        counts = service.reach(
            data["departments"], data["include_subunits"], data["by_sms"], data["by_email"]
        )
        return render(request, "beredskab/broadcast/preview.html", {"form": form, "reach": counts})
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
    )
    messages.success(request, _("The message is on its way."))
    return redirect("broadcast:detail", pk=sent.pk)


@require_GET
@require_perm("send_broadcast")
def broadcast_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Broadcast.objects.prefetch_related("departments"), pk=pk)
    counts = OutboxMessage.objects.for_group(item.group_key).counts_by_status()
    return render(
        request,
        "beredskab/broadcast/detail.html",
        {"item": item, "counts": counts, "events": timeline.events_for(item)},
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
    press = form.save(commit=False)
    press.created_by_text = str(getattr(request.user, "person", None) or request.user)[:200]
    press.save()
    timeline.record(press, "press.written", actor=request.user)
    return redirect("broadcast:press_detail", pk=press.pk)


@require_GET
@require_perm("send_broadcast")
def press_detail(request: HttpRequest, pk: int) -> HttpResponse:
    press = get_object_or_404(PressText, pk=pk)
    counts = OutboxMessage.objects.for_group(press.group_key).counts_by_status()
    return render(
        request,
        "beredskab/broadcast/press_detail.html",
        {"press": press, "counts": counts, "events": timeline.events_for(press)},
    )


@require_POST
@require_perm("send_broadcast")
def press_send(request: HttpRequest, pk: int) -> HttpResponse:
    press = get_object_or_404(PressText, pk=pk)
    try:
        service.send_press_text(press, actor=request.user)
    except service.BroadcastError:
        messages.error(request, _("The press text was already sent, or it has no recipients."))
        return redirect("broadcast:press_detail", pk=press.pk)
    messages.success(request, _("The press text is on its way."))
    return redirect("broadcast:press_detail", pk=press.pk)
