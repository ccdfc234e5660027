"""Login lock-out is keyed on username AND address together: five wrong passwords for
one user from one address lock only that pair, so nobody can lock the DPO out from
elsewhere in a crisis by guessing at their username."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils.module_loading import import_string

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
        {"login": username, "password": password},
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


# --- which address counts (beredskab/client_ip.py) ---

PROXY = "10.0.0.2"


def client_ip(**meta):
    from django.conf import settings

    return import_string(settings.AXES_CLIENT_IP_CALLABLE)(RequestFactory().get("/", **meta))


@override_settings(TRUSTED_PROXIES=[])
def test_it_ignores_x_forwarded_for_without_a_proxy():
    assert client_ip(REMOTE_ADDR=ADDRESS_A, HTTP_X_FORWARDED_FOR=ADDRESS_B) == ADDRESS_A


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_it_ignores_x_forwarded_for_from_a_peer_that_is_not_our_proxy():
    assert client_ip(REMOTE_ADDR=ADDRESS_A, HTTP_X_FORWARDED_FOR=ADDRESS_B) == ADDRESS_A


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_it_takes_the_address_our_proxy_saw_not_the_one_the_client_wrote():
    # The client sent "X-Forwarded-For: 203.0.113.20"; our proxy appended what it saw.
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{ADDRESS_B}, {ADDRESS_A}"}
    assert client_ip(**meta) == ADDRESS_A


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_it_walks_back_through_two_proxies_of_ours():
    meta = {
        "REMOTE_ADDR": "10.0.0.3",
        "HTTP_X_FORWARDED_FOR": f"{ADDRESS_B}, {ADDRESS_A}, 10.0.0.2",
    }
    assert client_ip(**meta) == ADDRESS_A


@override_settings(TRUSTED_PROXIES=["2001:db8::/32"])
def test_it_understands_ipv6_proxies():
    meta = {"REMOTE_ADDR": "2001:db8::1", "HTTP_X_FORWARDED_FOR": "2001:db9::5"}
    assert client_ip(**meta) == "2001:db9::5"


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_it_falls_back_to_the_peer_when_no_proxy_header_came():
    assert client_ip(REMOTE_ADDR=PROXY) == PROXY


# --- the whole login, through the client_ip rules ---


def attempt_via(client, username, password, *, peer, forwarded):
    return client.post(
        reverse("login"),
        {"login": username, "password": password},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


# TRUSTED_PROXY_COUNT was the old setting (env AXES_PROXY_COUNT=1): set here too, so this
# test shows the old rule failing; the new code does not read it.
@override_settings(TRUSTED_PROXIES=[PROXY], TRUSTED_PROXY_COUNT=1)
def test_it_does_not_give_unlimited_guesses_to_a_spoofed_x_forwarded_for(client, user_x):
    # Straight to the app server (not through our proxy), a new made-up X-Forwarded-For
    # on every try. With AXES_PROXY_COUNT=1 each try counted for another address.
    for n in range(5):
        attempt_via(client, "user-x", "wrong", peer=ADDRESS_A, forwarded=f"192.0.2.{n}")
    response = attempt_via(client, "user-x", PASSWORD, peer=ADDRESS_A, forwarded="192.0.2.99")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_it_sees_the_real_client_through_our_proxy(client, user_x):
    fail_five_times_via_proxy = [
        attempt_via(client, "user-x", "wrong", peer=PROXY, forwarded=ADDRESS_A) for _ in range(5)
    ]
    assert fail_five_times_via_proxy[-1].status_code in {400, 429}
    # Locked out from A (as seen through the proxy) ...
    locked = attempt_via(client, "user-x", PASSWORD, peer=PROXY, forwarded=ADDRESS_A)
    assert locked.status_code == 429
    # ... but the same user from B, through the same proxy, still gets in: the proxy's own
    # address is not what the lock-out counts.
    assert logged_in(attempt_via(client, "user-x", PASSWORD, peer=PROXY, forwarded=ADDRESS_B))


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_it_does_not_let_an_outsider_lock_a_colleague_out_through_the_proxy(client, user_x):
    # An attacker behind the proxy writes the colleague's address into the header himself;
    # our proxy appends the attacker's real address, which is the one counted.
    for _ in range(6):
        attempt_via(client, "user-x", "wrong", peer=PROXY, forwarded=f"{ADDRESS_B}, {ADDRESS_A}")
    assert logged_in(attempt_via(client, "user-x", PASSWORD, peer=PROXY, forwarded=ADDRESS_B))


def test_it_refuses_to_start_with_a_trusted_proxy_it_cannot_read():
    from tests.test_settings import clean_env, manage

    result = manage(
        "check", env=clean_env(DJANGO_ENV="demo", TRUSTED_PROXIES="10.0.0.0/8, not-an-address")
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'not-an-address' is not an address or CIDR range" in result.stderr
