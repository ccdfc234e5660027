"""The demo's console SMS backend sends nothing; this page shows what it would have
sent (DEBUG with the console backend only), so the acknowledgement links can be tried."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from beredskab.models import OutboxMessage


@require_GET
def console_sms(request: HttpRequest) -> HttpResponse:
    if not (settings.DEBUG and settings.SMS_BACKEND == "console"):
        raise Http404
    messages = OutboxMessage.objects.filter(channel="sms").order_by("-created_at", "-id")[:100]
    return render(request, "beredskab/demo_sms.html", {"sms_messages": messages})
