"""Login lock-out is keyed on username AND address together: five wrong passwords for
one user from one address lock only that pair, so nobody can lock the DPO out from
elsewhere in a crisis by guessing at their username."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from tests.conftest import PASSWORD

ADDRESS_A = "198.51.100.10"
ADDRESS_B = "203.0.113.20"


@pytest.fixture
def user_x(make_user):
    return make_user("medarbejder", username="user-x")


@pytest.fixture
def user_y(make_user):
    return make_user("medarbejder", username="user-y")


def attempt(client, username: str, password: str, address: str):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def fail_five_times(client, username: str, address: str) -> None:
    for _ in range(5):
        attempt(client, username, "wrong-password", address)


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("home")


def test_it_locks_the_user_out_from_that_address(client, user_x):
    fail_five_times(client, "user-x", ADDRESS_A)
    response = attempt(client, "user-x", PASSWORD, ADDRESS_A)
    assert not logged_in(response)
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session


def test_it_still_lets_the_user_in_from_another_address(client, user_x):
    fail_five_times(client, "user-x", ADDRESS_A)
    assert logged_in(attempt(client, "user-x", PASSWORD, ADDRESS_B))


def test_it_still_lets_another_user_in_from_the_same_address(client, user_x, user_y):
    fail_five_times(client, "user-x", ADDRESS_A)
    assert logged_in(attempt(client, "user-y", PASSWORD, ADDRESS_A))


def test_it_does_not_lock_out_before_the_fifth_failure(client, user_x):
    for _ in range(4):
        attempt(client, "user-x", "wrong-password", ADDRESS_A)
    assert logged_in(attempt(client, "user-x", PASSWORD, ADDRESS_A))


def test_it_resets_the_count_after_a_successful_login(client, user_x):
    for _ in range(4):
        attempt(client, "user-x", "wrong-password", ADDRESS_A)
    assert logged_in(attempt(client, "user-x", PASSWORD, ADDRESS_A))
    client.logout()
    for _ in range(4):
        attempt(client, "user-x", "wrong-password", ADDRESS_A)
    # Eight failures in all, but never five in a row: still allowed in.
    assert logged_in(attempt(client, "user-x", PASSWORD, ADDRESS_A))


# --- which address counts ---


def client_ip(**meta):
    from django.conf import settings

    return settings.AXES_CLIENT_IP_CALLABLE(RequestFactory().get("/", **meta))


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_it_ignores_x_forwarded_for_without_a_proxy():
    assert client_ip(REMOTE_ADDR=ADDRESS_A, HTTP_X_FORWARDED_FOR=ADDRESS_B) == ADDRESS_A


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_it_takes_the_address_our_proxy_saw_not_the_one_the_client_wrote():
    # The client sent "X-Forwarded-For: 203.0.113.20"; our proxy appended what it saw.
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": f"{ADDRESS_B}, {ADDRESS_A}"}
    assert client_ip(**meta) == ADDRESS_A


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_it_counts_back_through_two_proxies():
    meta = {
        "REMOTE_ADDR": "10.0.0.3",
        "HTTP_X_FORWARDED_FOR": f"{ADDRESS_B}, {ADDRESS_A}, 10.0.0.2",
    }
    assert client_ip(**meta) == ADDRESS_A


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_it_falls_back_to_the_peer_when_no_proxy_header_came():
    assert client_ip(REMOTE_ADDR=ADDRESS_A) == ADDRESS_A
