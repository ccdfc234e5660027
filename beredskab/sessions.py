"""Session lifetime: an idle timeout, an absolute lifetime, and logging out.

A session ends after `SESSION_IDLE_MINUTES` without a request, or `SESSION_MAX_HOURS`
after the login, whichever comes first (issue 24, item 10). Both clocks are kept in the
session itself, so they hold whatever logs people in (Django's login view today,
django-allauth tomorrow): they start at the `user_logged_in` signal (connected in
BeredskabConfig.ready), and the middleware starts them on the first request of a
logged-in session that has none (one from before this code).

The browser's offline copy (the service worker's caches) follows the session:
- an explicit logout clears every cached page (`Clear-Site-Data`, see `end_session`);
- a timed-out session clears the cached pages apart from the crisis binder, which the
  service worker learns from the `X-Portal-Session` header on every response.

Other code that logs someone out (an allauth logout view, deactivating a person) calls
`end_session(request, response)` or at least `clear_offline_copy(response)`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

# Unix timestamps (seconds) in the session: JSON-serialisable, no timezone trap.
STARTED_KEY = "_portal_login_at"
SEEN_KEY = "_portal_seen_at"
# Writing the session on every request would be a database write per page view; a
# minute of slack on a two-hour idle timeout is harmless.
SEEN_RESOLUTION_SECONDS = 60

# Read by the offline service worker (sw.js):
#   "active; remaining=<seconds until the absolute end>"  a live session
#   "anonymous"                                           no session
#   "expired"                                             this request timed it out
STATE_HEADER = "X-Portal-Session"
# What an explicit logout asks the browser to forget: every cached page and the
# service worker's storage with it.
CLEAR_SITE_DATA = '"cache", "storage"'


def idle_limit() -> timedelta:
    return timedelta(minutes=settings.SESSION_IDLE_MINUTES)


def absolute_limit() -> timedelta:
    return timedelta(hours=settings.SESSION_MAX_HOURS)


def _stamp(when: datetime) -> int:
    return int(when.timestamp())


def touch(request: HttpRequest, now: datetime | None = None) -> None:
    """Record activity; start the clocks of a session that has none yet."""
    now_ts = _stamp(now or timezone.now())
    session = request.session
    if STARTED_KEY not in session:
        session[STARTED_KEY] = now_ts
    if now_ts - session.get(SEEN_KEY, 0) >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_KEY] = now_ts


def start_clocks(sender=None, request: HttpRequest | None = None, **kwargs) -> None:
    """At login (the `user_logged_in` signal): both clocks start now.

    Django keeps the session's data across a login of the same user (it only cycles the
    key), so without this a second login would inherit the first one's start.
    """
    if request is None or not hasattr(request, "session"):
        return
    now_ts = _stamp(timezone.now())
    request.session[STARTED_KEY] = now_ts
    request.session[SEEN_KEY] = now_ts


def expiry_reason(request: HttpRequest, now: datetime | None = None) -> str | None:
    """'idle' or 'absolute' when the session's time is up, else None."""
    now_ts = _stamp(now or timezone.now())
    session = request.session
    started, seen = session.get(STARTED_KEY), session.get(SEEN_KEY)
    if started is not None and now_ts - started >= absolute_limit().total_seconds():
        return "absolute"
    if seen is not None and now_ts - seen >= idle_limit().total_seconds():
        return "idle"
    return None


def remaining_seconds(request: HttpRequest, now: datetime | None = None) -> int:
    """Seconds until the absolute end of this session (for the service worker)."""
    started = request.session.get(STARTED_KEY)
    if started is None:
        return int(absolute_limit().total_seconds())
    end = started + int(absolute_limit().total_seconds())
    return max(0, end - _stamp(now or timezone.now()))


def clear_offline_copy(response: HttpResponse) -> HttpResponse:
    """Make the browser forget every cached page of the portal (explicit logout)."""
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def end_session(request: HttpRequest, response: HttpResponse | None = None) -> None:
    """Log out: the session is flushed; with a response, the offline copy goes too."""
    logout(request)
    if response is not None:
        clear_offline_copy(response)
