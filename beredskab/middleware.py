"""The portal's own middleware: Danish first, and the session's time limits."""

from __future__ import annotations

import logging

from django.contrib.auth import logout

from beredskab import sessions

logger = logging.getLogger(__name__)


class DanishFirstMiddleware:
    """Danish first: the portal's language is Danish unless the person chose English.

    Django's LocaleMiddleware would otherwise follow the browser's Accept-Language, and
    many municipal PCs run an English browser; the language switch (a cookie) still wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Ends a session after its idle timeout or absolute lifetime (beredskab.sessions).

    Sits after AuthenticationMiddleware and before LoginRequiredMiddleware: a timed-out
    request continues as anonymous, so a page needing a login redirects to it. Every
    response says in `X-Portal-Session` whether the session lives, so the service worker
    can drop the cached pages of a session that ended; an explicit logout by any view
    (the user was logged in before the view and not after) also sends Clear-Site-Data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        expired = False
        if request.user.is_authenticated:
            reason = sessions.expiry_reason(request)
            if reason:
                logger.info("session of user %s ended: %s timeout", request.user.pk, reason)
                logout(request)
                expired = True
            else:
                sessions.touch(request)
        was_authenticated = request.user.is_authenticated

        response = self.get_response(request)

        is_authenticated = request.user.is_authenticated
        if was_authenticated and not is_authenticated and "Clear-Site-Data" not in response:
            sessions.clear_offline_copy(response)
        if expired:
            state = "expired"
        elif is_authenticated:
            state = f"active; remaining={sessions.remaining_seconds(request)}"
        else:
            state = "anonymous"
        response[sessions.STATE_HEADER] = state
        return response
