"""GatewayAPI's delivery reports: verified as its documentation says (the report's
fields signed as a JWT, HS256 with the webhook's secret, in the X-Gwapi-Signature
header), applied forward-only through callbacks.apply_provider_status.

The data is read from the verified token only, never from the unsigned body. Bad input
gets a 4xx and changes nothing: a wrong or missing signature 403, a report without a
message id 400; an unknown status is acknowledged (204) and ignored. A report for a
message whose send is still unknown (our reference in `userref`) reconciles it.
"""

from __future__ import annotations

import logging

import jwt
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from beredskab.models.outbox import OutboxMessage, Status
from beredskab.notify import callbacks
from beredskab.notify.providers import gatewayapi, routing

log = logging.getLogger(__name__)

HEADER = "X-Gwapi-Signature"


def verified_claims(request: HttpRequest) -> dict | None:
    token = request.headers.get(HEADER, "")
    secret = settings.GATEWAYAPI_WEBHOOK_SECRET
    if not token or not secret:
        return None
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"])
    except jwt.InvalidTokenError:
        return None
    return claims if isinstance(claims, dict) else None


@csrf_exempt  # GatewayAPI cannot send a CSRF token; the JWT authenticates it instead
@login_not_required
@require_POST
def gatewayapi_status(request: HttpRequest) -> HttpResponse:
    claims = verified_claims(request)
    if claims is None:
        return HttpResponseForbidden("invalid signature")
    message_id = claims.get("id")
    if isinstance(message_id, bool) or not isinstance(message_id, int) or message_id <= 0:
        return HttpResponseBadRequest("no message id")
    word = gatewayapi.status_word(claims.get("status"))
    if word is None:
        log.info("gatewayapi report with an unknown status ignored")
        return HttpResponse(status=204)
    provider_id = gatewayapi.provider_id(message_id)
    code = claims.get("code")
    moved = callbacks.apply_provider_status(
        provider_id, word, code if isinstance(code, str) else ""
    )
    if not moved and not OutboxMessage.objects.filter(provider_id=provider_id).exists():
        reference = claims.get("userref")
        row = _own_row(reference)
        if row is not None and row.status == Status.UNKNOWN:
            moved = routing.adopt(row.pk, provider_id, word)
        elif row is not None and row.status == Status.CLAIMED:
            # The worker has not stored the id yet: GatewayAPI retries an answer >= 300.
            return HttpResponse(status=409)
    log.info("gatewayapi delivery report applied=%s", moved)
    return HttpResponse(status=204)


def _own_row(reference: object) -> OutboxMessage | None:
    """The message our reference names, if it went to GatewayAPI without a known id."""
    if not isinstance(reference, str) or not reference.isdigit():
        return None
    return (
        OutboxMessage.objects.filter(pk=int(reference), provider="gatewayapi", provider_id="")
        .only("pk", "status")
        .first()
    )
