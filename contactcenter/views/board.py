"""The channel status board: read by all staff, kept by the contact centre, IT and leaders."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beredskab import timeline
from contactcenter import access
from contactcenter.forms import ChannelStateForm, HealthUrlForm
from contactcenter.models import ContactChannel

POLL_SECONDS = 30


def board_context(request: HttpRequest) -> dict:
    now = timezone.now()
    channels = list(ContactChannel.objects.all())
    for channel in channels:
        channel.is_stale_now = channel.is_stale(now)
    context = {
        "channels": channels,
        "now": now,
        "poll_seconds": POLL_SECONDS,
        "can_edit": access.can_edit_channels(request.user),
    }
    context.update(extra_board_context(request))
    return context


def extra_board_context(request: HttpRequest) -> dict:
    """What the later parts add to the board (the centre's location, the live message)."""
    from contactcenter.views.board_extras import board_extras

    return board_extras(request)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    template = "contactcenter/board.html"
    if request.htmx:
        template += "#board"
    response = render(request, template, board_context(request))
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "POST"])
def channel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    channel = access.get_channel_for(request.user, pk, write=request.method == "POST")
    can_edit = access.can_edit_channels(request.user)
    status = 200
    form = ChannelStateForm(initial={"state": channel.state, "note": channel.note})
    if request.method == "POST":
        form = ChannelStateForm(request.POST)
        if form.is_valid():
            channel.set_state(
                form.cleaned_data["state"], note=form.cleaned_data["note"], actor=request.user
            )
            messages.success(
                request,
                _("%(channel)s is now marked: %(state)s.")
                % {"channel": channel.name, "state": channel.get_state_display()},
            )
            return redirect("contactcenter:index")
        status = 400
    return render(
        request,
        "contactcenter/channel.html",
        {
            "channel": channel,
            "form": form if can_edit else None,
            "health_form": HealthUrlForm(initial={"health_url": channel.health_url})
            if can_edit
            else None,
            "is_stale": channel.is_stale(),
            "events": timeline.events_for(channel).reverse()[:50],
        },
        status=status,
    )


@require_POST
def channel_health(request: HttpRequest, pk: int) -> HttpResponse:
    channel = access.get_channel_for(request.user, pk, write=True)
    form = HealthUrlForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "contactcenter/channel.html",
            {
                "channel": channel,
                "form": ChannelStateForm(initial={"state": channel.state, "note": channel.note}),
                "health_form": form,
                "is_stale": channel.is_stale(),
                "events": timeline.events_for(channel).reverse()[:50],
            },
            status=400,
        )
    channel.set_health_url(form.cleaned_data["health_url"], actor=request.user)
    messages.success(request, _("The health URL is saved."))
    return redirect("contactcenter:channel", pk=channel.pk)
