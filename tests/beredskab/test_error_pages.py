"""The portal's own error pages (issue 21): Danish, in the layout, one h1, saying what
happened and where to go; the 403 names the roles that could; the 500 renders without
the database; 403/404 are one log line, a 500 keeps its traceback."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from beredskab.logmask import OneLineRefusals
from beredskab.views import errors

pytestmark = pytest.mark.django_db


def assert_portal_page(response, heading: str) -> str:
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert html.count("<h1") == 1
    assert heading in html
    assert 'class="site-header"' in html  # the layout
    assert f'href="{reverse("home")}"' in html  # a way back
    return html


def test_it_shows_a_danish_404_in_the_layout(client_as, employee):
    response = client_as(employee).get("/findes-ikke/")
    assert response.status_code == 404
    assert_portal_page(response, "Siden findes ikke")


def test_it_shows_a_danish_404_to_anonymous_visitors_of_public_pages(client):
    # /a/<token>/ is public: an unknown token is a 404 without a login.
    response = client.get("/a/unknown-token-123456/")
    assert response.status_code in {404, 410}
    if response.status_code == 404:
        assert_portal_page(response, "Siden findes ikke")


def test_the_403_names_the_roles_that_could(client_as, employee):
    response = client_as(employee).get(reverse("directory:index"))
    assert response.status_code == 403
    html = assert_portal_page(response, "Du har ikke adgang til dette")
    assert "Systemkoordinator" in html
    assert "Administrator" not in html


def test_the_403_without_a_named_permission_says_whom_to_ask(rf):
    request = rf.get("/")
    request.user = type("Anon", (), {"is_authenticated": False})()
    response = errors.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "bed din leder" in response.content.decode().lower()


def test_it_shows_a_danish_400(rf):
    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = errors.bad_request(request, None)
    assert response.status_code == 400
    assert_portal_page(response, "Forespørgslen kunne ikke læses")


def test_the_500_page_renders_without_the_database(monkeypatch):
    def no_database(*args, **kwargs):
        raise AssertionError("the 500 page asked the database")

    monkeypatch.setattr(connection, "cursor", no_database)
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert_portal_page(response, "Noget gik galt")


def test_a_csrf_failure_gets_the_danish_page(employee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(employee)
    response = client.post(reverse("log_out_everywhere"))
    assert response.status_code == 403
    html = assert_portal_page(response, "Formularen var udløbet")
    assert "Intet blev gemt" in html


def _record(name: str, status: int, exc: bool) -> logging.LogRecord:
    try:
        raise PermissionDenied
    except PermissionDenied:
        import sys

        exc_info = sys.exc_info() if exc else None
    record = logging.LogRecord(name, logging.WARNING, __file__, 1, "Forbidden: /x", (), exc_info)
    record.status_code = status
    return record


def test_a_refusal_is_one_line_and_a_500_keeps_its_traceback():
    refusal_filter = OneLineRefusals()
    forbidden = _record("django.request", 403, exc=True)
    assert refusal_filter.filter(forbidden)
    assert "\n" not in logging.Formatter().format(forbidden)
    # The development server's line for the same request is dropped.
    assert not refusal_filter.filter(_record("django.server", 404, exc=False))
    error = _record("django.request", 500, exc=True)
    assert refusal_filter.filter(error)
    assert "Traceback" in logging.Formatter().format(error)
    assert refusal_filter.filter(_record("django.server", 500, exc=False))


def test_a_403_reaches_the_log_once_without_a_traceback(client_as, employee, caplog):
    with caplog.at_level(logging.INFO):
        client_as(employee).get(reverse("directory:index"))
    lines = [r for r in caplog.records if r.name == "django.request"]
    assert len(lines) == 1
    assert OneLineRefusals().filter(lines[0])
    assert lines[0].exc_info is None
