"""What the phone robot and the fallback voice line read: the live crisis message.

Neither needs a login. The robot's endpoint takes a bearer token per integration; the
voice webhook is signed by Twilio (checked like the SMS status callbacks).
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from beredskab.notify.webhooks import signature_ok
from contactcenter.models import CrisisMessage, RobotIntegration
from contactcenter.voice import voice_response

# The robot polls: it may reuse an answer this long, then revalidates with its ETag.
MAX_AGE_SECONDS = 15
JSON, TEXT = "application/json", "text/plain"


def _bearer(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _unauthorised() -> HttpResponse:
    response = HttpResponse(
        json.dumps({"error": "invalid or revoked token"}), status=401, content_type=JSON
    )
    response["WWW-Authenticate"] = 'Bearer realm="robot", error="invalid_token"'
    response["Cache-Control"] = "no-store"
    return response


def _representation(message: CrisisMessage | None, kind: str) -> tuple[bytes, str]:
    if kind == TEXT:
        return (message.body if message else "").encode(), f"{TEXT}; charset=utf-8"
    if message is None:
        payload = {"live": False}
    else:
        payload = {
            "live": True,
            "version": message.version,
            "language": "da",
            "text": message.body,
            "published_at": message.published_at.isoformat(),
        }
    return json.dumps(payload, ensure_ascii=False).encode(), JSON


def _etag(message: CrisisMessage | None, kind: str) -> str:
    # One ETag per representation: the JSON and the text of a version differ.
    suffix = "text" if kind == TEXT else "json"
    return f'"{message.etag if message else "none"}-{suffix}"'


def _matches(if_none_match: str, etag: str) -> bool:
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in candidates or "*" in candidates


@csrf_exempt
@login_not_required
@require_GET
def robot_message(request: HttpRequest) -> HttpResponse:
    if RobotIntegration.authenticate(_bearer(request)) is None:
        return _unauthorised()
    kind = request.get_preferred_type([JSON, TEXT])
    if kind is None:
        return HttpResponse(status=406)
    message = CrisisMessage.objects.live().first()
    etag = _etag(message, kind)
    if _matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponse(status=304)
    else:
        body, content_type = _representation(message, kind)
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    patch_cache_control(response, private=True, max_age=MAX_AGE_SECONDS, must_revalidate=True)
    patch_vary_headers(response, ["Accept", "Authorization"])
    return response


@csrf_exempt  # Twilio cannot send a CSRF token; the signature authenticates it instead
@login_not_required
@require_POST
def voice(request: HttpRequest) -> HttpResponse:
    if not signature_ok(request):
        return HttpResponseForbidden("invalid signature")
    twiml = voice_response(timezone.now())
    return HttpResponse(str(twiml), content_type="text/xml; charset=utf-8")
