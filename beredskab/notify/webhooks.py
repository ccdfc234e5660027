"""Twilio status callbacks: signature-checked against BASE_URL, forward-only."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from beredskab.notify import outbox

log = logging.getLogger(__name__)

# Bounded: about a second in all, only for a callback whose message id is not known yet.
CALLBACK_WAITS = (0.1, 0.2, 0.3, 0.4)


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
    sid = request.POST.get("MessageSid", "")
    for wait in (*CALLBACK_WAITS, None):
        moved = outbox.apply_provider_status(
            sid, request.POST.get("MessageStatus", ""), request.POST.get("ErrorCode", "")
        )
        # Twilio may call back before the worker has stored the message's id (the
        # callback races the API's answer): wait a little for it rather than drop it.
        if moved or wait is None or not sid or outbox.knows_provider_id(sid):
            break
        time.sleep(wait)
    log.info("twilio status callback applied=%s", moved)
    return HttpResponse(status=204)
