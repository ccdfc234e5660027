"""Sessions end after an idle timeout and an absolute lifetime (issue 24, item 10), and
every response tells the service worker whether the session lives."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import login, logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from beredskab import sessions
from beredskab.middleware import SessionTimeoutMiddleware

pytestmark = pytest.mark.django_db


def logged_in(client_as, user):
    client = client_as(user)
    assert client.get(reverse("home")).status_code == 200  # starts the session's clocks
    return client


def set_clock(client, key: str, when) -> None:
    session = client.session
    session[key] = int(when.timestamp())
    session.save()


def is_logged_out(client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_has_an_idle_timeout_and_an_absolute_lifetime_by_default(settings):
    assert settings.SESSION_IDLE_MINUTES == 120
    assert settings.SESSION_MAX_HOURS == 12
    # The cookie (and the stored session) never outlive the absolute lifetime.
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60


def test_it_keeps_a_session_that_was_used_within_the_idle_timeout(client_as, employee):
    client = logged_in(client_as, employee)
    set_clock(client, sessions.SEEN_KEY, timezone.now() - timedelta(minutes=119))
    assert client.get(reverse("home")).status_code == 200


def test_it_logs_out_a_session_idle_longer_than_the_timeout(client_as, employee):
    client = logged_in(client_as, employee)
    set_clock(client, sessions.SEEN_KEY, timezone.now() - timedelta(minutes=121))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert response[sessions.STATE_HEADER] == "expired"
    # Gone for good, not only for one request.
    assert is_logged_out(client)


def test_it_logs_out_at_the_absolute_lifetime_however_active(client_as, employee):
    client = logged_in(client_as, employee)
    set_clock(client, sessions.STARTED_KEY, timezone.now() - timedelta(hours=12, seconds=1))
    assert is_logged_out(client)


def test_it_logs_out_when_time_moves_past_the_idle_timeout(client_as, employee, monkeypatch):
    client = logged_in(client_as, employee)
    later = timezone.now() + timedelta(minutes=121)
    monkeypatch.setattr(sessions.timezone, "now", lambda: later)
    assert is_logged_out(client)


def test_it_counts_activity_so_a_busy_session_lasts_past_the_idle_timeout(
    client_as, employee, monkeypatch
):
    client = logged_in(client_as, employee)
    start = timezone.now()
    for minutes in (100, 200, 300):  # a request every 100 minutes: never idle for 120
        moment = start + timedelta(minutes=minutes)
        monkeypatch.setattr(sessions.timezone, "now", lambda moment=moment: moment)
        assert client.get(reverse("home")).status_code == 200
    moment = start + timedelta(hours=12, minutes=1)
    monkeypatch.setattr(sessions.timezone, "now", lambda: moment)
    assert is_logged_out(client)


def test_it_follows_the_settings(client_as, employee, settings):
    settings.SESSION_IDLE_MINUTES = 5
    client = logged_in(client_as, employee)
    set_clock(client, sessions.SEEN_KEY, timezone.now() - timedelta(minutes=6))
    assert is_logged_out(client)


def test_it_tells_the_service_worker_that_a_session_lives_and_how_long(client_as, employee):
    client = logged_in(client_as, employee)
    set_clock(client, sessions.STARTED_KEY, timezone.now() - timedelta(hours=11))
    state = client.get(reverse("home"))[sessions.STATE_HEADER]
    assert state.startswith("active; remaining=")
    assert 3500 <= int(state.split("=")[1]) <= 3600


def test_it_tells_the_service_worker_when_there_is_no_session(client):
    response = client.get(reverse("login"))
    assert response[sessions.STATE_HEADER] == "anonymous"
    assert "Clear-Site-Data" not in response


def test_it_clears_every_cached_page_on_an_explicit_logout(client_as, employee):
    client = logged_in(client_as, employee)
    response = client.post(reverse("logout"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert is_logged_out(client)


def test_it_clears_every_cached_page_whichever_view_logs_out(employee):
    """An allauth logout view, or any other, gets Clear-Site-Data from the middleware."""
    request = RequestFactory().post("/elsewhere/logout/")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    request.user = AnonymousUser()
    login(request, employee, backend="django.contrib.auth.backends.ModelBackend")

    def some_logout_view(request):
        logout(request)
        return HttpResponse()

    response = SessionTimeoutMiddleware(some_logout_view)(request)
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert response[sessions.STATE_HEADER] == "anonymous"


def test_it_does_not_clear_everything_when_a_session_times_out(client_as, employee):
    # A timeout keeps the crisis binder in the offline copy (the service worker drops
    # the rest on the "expired" header); Clear-Site-Data would take the binder too.
    client = logged_in(client_as, employee)
    set_clock(client, sessions.SEEN_KEY, timezone.now() - timedelta(minutes=121))
    response = client.get(reverse("home"))
    assert response[sessions.STATE_HEADER] == "expired"
    assert "Clear-Site-Data" not in response


def test_it_writes_the_session_at_most_once_a_minute_for_activity(rf, employee):
    request = rf.get("/")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    now = timezone.now()
    sessions.touch(request, now)
    request.session.modified = False
    sessions.touch(request, now + timedelta(seconds=30))
    assert request.session.modified is False
    sessions.touch(request, now + timedelta(seconds=61))
    assert request.session.modified is True


def test_it_starts_the_clocks_at_the_login_whatever_logs_in(client, employee):
    from tests.conftest import PASSWORD

    before = int(timezone.now().timestamp())
    response = client.post(reverse("login"), {"login": "employee", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[sessions.STARTED_KEY] >= before
    assert client.session[sessions.SEEN_KEY] >= before


def test_it_restarts_the_absolute_lifetime_at_a_new_login(client_as, employee):
    client = logged_in(client_as, employee)
    set_clock(client, sessions.STARTED_KEY, timezone.now() - timedelta(hours=11))
    client.force_login(employee)  # the same user again: Django keeps the session's data
    assert client.session[sessions.STARTED_KEY] >= int(timezone.now().timestamp()) - 5
