"""Every field's length is checked before anything is stored: a long username, typed
or passed to authenticate(), is a 4xx or a plain failure, never a database error."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LONG = "x" * 300


@pytest.mark.django_db
def test_it_refuses_a_256_character_username_at_the_field(client):
    response = client.post(reverse("login"), {"login": "u" * 256, "password": "nope"})
    assert response.status_code == 400
    assert "150" in response.content.decode()


def test_it_counts_a_failure_for_an_overlong_username_without_a_database_error(postgres):
    request = RequestFactory().post(reverse("login"), {"login": LONG, "password": "nope"})
    request.session = {}
    assert authenticate(request, username=LONG, password="nope") is None
    attempt = AccessAttempt.objects.get()
    assert attempt.username == LONG[:150]
    assert attempt.failures_since_start == 1


field = st.one_of(
    st.text(max_size=400),
    st.integers(250, 1000).map(lambda n: "ø" * n),
    st.sampled_from(["", "\x00", "admin", " " * 300, "a@b.dk" * 60]),
)


@pytest.mark.django_db
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.fixed_dictionaries(
        {},
        optional={"login": field, "username": field, "password": field, "remember": field},
    )
)
def test_it_never_answers_the_login_form_with_a_5xx(data):
    client = Client(raise_request_exception=False)
    response = client.post(reverse("login"), data)
    assert response.status_code in (200, 302, 400, 429), response.status_code
