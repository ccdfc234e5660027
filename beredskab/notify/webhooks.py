"""Twilio status callbacks: signature-checked against BASE_URL, forward-only.

The callback URL carries the portal's own message id, signed (callbacks.py), so the
row is found at once, also before the worker has stored Twilio's id."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from beredskab.notify import callbacks

log = logging.getLogger(__name__)


def public_url(request: HttpRequest) -> str:
    """The URL Twilio signed: BASE_URL + path, so a TLS-terminating proxy does not matter."""
    return settings.BASE_URL + request.get_full_path()


def signature_ok(request: HttpRequest) -> bool:
    from twilio.request_validator import RequestValidator

    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not settings.TWILIO_AUTH_TOKEN:
        return False
    validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)
    return validator.validate(public_url(request), request.POST.dict(), signature)


@csrf_exempt  # Twilio cannot send a CSRF token; the signature authenticates it instead
@login_not_required
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    if not signature_ok(request):
        return HttpResponseForbidden("invalid signature")
    pk = None
    if callbacks.PARAM in request.GET:
        pk = callbacks.message_id(request.GET[callbacks.PARAM])
        if pk is None:
            return HttpResponseForbidden("invalid message id")
    moved = callbacks.apply_provider_status(
        request.POST.get("MessageSid", ""),
        request.POST.get("MessageStatus", ""),
        request.POST.get("ErrorCode", ""),
        pk=pk,
        error_text=request.POST.get("ErrorMessage", ""),
    )
    log.info("twilio status callback applied=%s", moved)
    return HttpResponse(status=204)
