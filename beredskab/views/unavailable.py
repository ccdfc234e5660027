"""A database that is away answers 503 with Retry-After, not a bare 500.

Django's handler500 runs inside the `except` of the failed request, so the error is
at hand: a lost or refused database connection (OperationalError, InterfaceError)
means "try again shortly", which is what 503 + Retry-After says to a browser, to a
load balancer and to Twilio (which retries a status callback on 503). Every other
error stays a 500. Nothing here touches the database: the page is rendered without
the request's context processors.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token


def database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable_response() -> HttpResponse | None:
    """503 + Retry-After when the error being handled is a lost database, else None."""
    if database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return None


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return unavailable_response() or defaults.server_error(request)
