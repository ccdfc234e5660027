"""The power outage: declare it, run its playbook as a live checklist, close it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beredskab import live, timeline
from beredskab.access import can
from outages import access
from outages.forms.power import PowerCloseForm, PowerDeclareForm, SettleForm
from outages.models import AppendixRow, OutageError, PowerOutage, PowerStatus
from outages.plan import GO_HOME_KEY, PRESS_KEY, STAY_HOME_KEY
from outages.services import power as service

MESSAGE_KEYS = {"go_home": GO_HOME_KEY, "stay_home": STAY_HOME_KEY, "press": PRESS_KEY}

POLL_SECONDS = 10


@require_GET
def power_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "outages/power_list.html",
        {
            "outages": PowerOutage.objects.all()[:50],
            "can_declare": access.may_declare_power(request.user),
            "roster": service.roster() if access.may_declare_power(request.user) else None,
        },
    )


@require_http_methods(["GET", "POST"])
def power_declare(request: HttpRequest) -> HttpResponse:
    if not access.may_declare_power(request.user):
        raise PermissionDenied
    form = PowerDeclareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outage = service.declare(request.user, **form.cleaned_data)
        messages.success(request, _("The power outage is declared; the beredskabsgruppe is told."))
        return redirect(outage)
    status = 400 if request.method == "POST" else 200
    return render(request, "outages/power_declare.html", {"form": form}, status=status)


def power_context(request: HttpRequest, outage: PowerOutage, **extra) -> dict:
    items = list(outage.items.all())
    sections: list[tuple[str, list]] = []
    for item in items:
        item.may_settle = access.may_settle(request.user, item)
        if not sections or sections[-1][0] != item.section:
            sections.append((item.section, []))
        sections[-1][1].append(item)
    now = timezone.now()
    confirmations = service.confirmations(outage)
    context = {
        "live_version": live.version(
            outage.status,
            [(i.pk, i.state, i.done_at, i.may_settle) for i in items],
            [(row["person"].pk, row["confirmed_at"]) for row in confirmations],
            # The fragment says "as of HH:MM": it is new once a minute.
            timezone.localtime(now).strftime("%H:%M"),
        ),
        "outage": outage,
        "sections": sections,
        "done_count": sum(1 for i in items if i.state != "open"),
        "item_count": len(items),
        "confirmations": confirmations,
        "now": now,
        "poll_seconds": POLL_SECONDS,
        "settle_form": SettleForm(),
    }
    context.update(extra)
    return context


@require_GET
def power(request: HttpRequest, pk: int) -> HttpResponse:
    outage = access.get_power_for(request.user, pk)
    template = "outages/power.html"
    context = power_context(request, outage)
    if (not_modified := live.unchanged(request, context["live_version"])) is not None:
        return not_modified
    if request.htmx:
        template += "#checklist"
    else:
        can_declare = access.may_declare_power(request.user)
        context.update(
            {
                "can_declare": can_declare,
                "can_broadcast": can(request.user, "send_broadcast"),
                "can_cancel_bookings": access.may_send_campaigns(request.user),
                "templates": MESSAGE_KEYS,
                "close_form": PowerCloseForm(outage=outage),
                "appendix": AppendixRow.objects.prefetch_related("depends_on"),
                "events": timeline.events_for(outage),
            }
        )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _page(request, outage, status: int, **extra) -> HttpResponse:
    context = power_context(request, outage, **extra)
    context.update(
        {
            "can_declare": access.may_declare_power(request.user),
            "can_broadcast": can(request.user, "send_broadcast"),
            "can_cancel_bookings": access.may_send_campaigns(request.user),
            "templates": MESSAGE_KEYS,
            "close_form": extra.get("close_form") or PowerCloseForm(outage=outage),
            "appendix": AppendixRow.objects.prefetch_related("depends_on"),
            "events": timeline.events_for(outage),
        }
    )
    return render(request, "outages/power.html", context, status=status)


@require_POST
def power_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = access.get_run_item_for(request.user, pk, item_pk)
    form = SettleForm(request.POST)
    if not form.is_valid():
        return _page(request, item.outage, 400, settle_form=form, failed_item=item.pk)
    if item.outage.status == PowerStatus.CLOSED:
        messages.error(request, _("The power outage is closed."))
        return _page(request, item.outage, 409)
    try:
        settled = item.settle(
            form.cleaned_data["state"], note=form.cleaned_data["note"], actor=request.user
        )
    except OutageError:
        return _page(request, item.outage, 400, settle_form=form, failed_item=item.pk)
    if settled:
        messages.success(request, _("Recorded: %(item)s") % {"item": item.text})
    else:
        item.refresh_from_db()
        messages.info(
            request,
            _("%(who)s had already recorded this item.") % {"who": item.done_by_text},
        )
    return redirect(item.outage)


@require_POST
def power_status(request: HttpRequest, pk: int) -> HttpResponse:
    outage = access.get_power_for(request.user, pk, write=True)
    to = request.POST.get("to", "")
    try:
        if to == PowerStatus.RUNNING:
            outage.start_running(actor=request.user)
        elif to == PowerStatus.POWER_RESTORED:
            outage.power_restored(actor=request.user)
        else:
            messages.error(request, _("Choose a status."))
            return _page(request, outage, 400)
    except OutageError:
        messages.error(request, _("The power outage changed meanwhile; nothing was saved."))
        return _page(request, outage, 409)
    messages.success(request, _("The status is changed."))
    return redirect(outage)


@require_POST
def power_close(request: HttpRequest, pk: int) -> HttpResponse:
    outage = access.get_power_for(request.user, pk, write=True)
    form = PowerCloseForm(request.POST, outage=outage)
    if not form.is_valid():
        return _page(request, outage, 400, close_form=form)
    try:
        outage.close(reason=form.cleaned_data["reason"], actor=request.user)
    except OutageError:
        messages.error(request, _("The power outage cannot be closed from its current status."))
        return _page(request, outage, 409, close_form=form)
    messages.success(request, _("The power outage is closed."))
    return redirect(outage)
