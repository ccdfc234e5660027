"""The one re-authentication helper (beredskab/reauth.py): a wrong password counts toward
the same lock-out as the login (axes, username AND address), a success lasts
REAUTH_WINDOW_MINUTES, and the login itself opens the window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from beredskab import reauth
from tests.conftest import PASSWORD

ADDRESS_A = "198.51.100.10"
ADDRESS_B = "203.0.113.20"


def stamp(client, minutes_ago: float | None) -> None:
    session = client.session
    if minutes_ago is None:
        session.pop(reauth.SESSION_KEY, None)
    else:
        at = timezone.now() - timedelta(minutes=minutes_ago)
        session[reauth.SESSION_KEY] = at.isoformat()
    session.save()


def reauth_post(client, password, address=ADDRESS_A, next_url="/"):
    return client.post(
        reverse("reauth"), {"password": password, "next": next_url}, REMOTE_ADDR=address
    )


def login(client, username, password, address):
    return client.post(
        reverse("login"), {"login": username, "password": password}, REMOTE_ADDR=address
    )


def test_it_refuses_even_the_right_password_after_five_wrong_ones(client_as, employee):
    client = client_as(employee)
    for _ in range(5):
        assert reauth_post(client, "wrong").status_code in {400, 429}
    response = reauth_post(client, PASSWORD)
    assert response.status_code == 429
    assert reauth.SESSION_KEY not in client.session


def test_it_counts_reauth_failures_toward_the_login_lockout(client_as, client, employee):
    client_as(employee)
    for _ in range(5):
        reauth_post(client, "wrong", address=ADDRESS_A)
    client.logout()
    assert login(client, "employee", PASSWORD, ADDRESS_A).status_code == 429
    # Keyed on the address too: the same person elsewhere is not locked out.
    assert login(client, "employee", PASSWORD, ADDRESS_B).status_code == 302


def test_it_counts_login_failures_toward_reauth(client_as, client, employee):
    for _ in range(5):
        login(client, "employee", "wrong", ADDRESS_A)
    client_as(employee)  # e.g. a session from before the guessing started
    assert reauth_post(client, PASSWORD, address=ADDRESS_A).status_code == 429
    assert reauth_post(client, PASSWORD, address=ADDRESS_B).status_code == 302


def test_it_lets_the_right_password_through_and_goes_on_to_next(client_as, employee):
    client = client_as(employee)
    response = reauth_post(client, PASSWORD, next_url=reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")
    assert reauth.SESSION_KEY in client.session


def test_it_answers_a_wrong_password_with_400_and_a_danish_message(client_as, employee):
    client = client_as(employee)
    response = client.post(reverse("reauth"), {"password": "wrong"}, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_it_never_sends_next_to_another_site(client_as, employee):
    client = client_as(employee)
    response = reauth_post(client, PASSWORD, next_url="https://evil.example/")
    assert response["Location"] == reverse("home")


def test_it_needs_a_login_for_the_reauth_page(client):
    response = client.get(reverse("reauth"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_counts_the_login_as_a_fresh_authentication(client, employee):
    assert login(client, "employee", PASSWORD, ADDRESS_A).status_code == 302
    assert reauth.SESSION_KEY in client.session
    # Inside the window the reauth page just goes on.
    response = client.get(reverse("reauth") + "?next=/training/")
    assert response.status_code == 302
    assert response["Location"] == "/training/"


@pytest.mark.parametrize(
    ("window", "minutes_ago", "asked"), [(10, 9, False), (10, 11, True), (2, 3, True)]
)
def test_it_honours_the_window(client_as, employee, settings, window, minutes_ago, asked):
    settings.REAUTH_WINDOW_MINUTES = window
    client = client_as(employee)
    stamp(client, minutes_ago)
    request = RequestFactory().post("/")
    request.user = employee
    request.session = client.session
    form = reauth.ReauthForm({}, request=request)
    assert form.reauth_needed is asked
    assert form.is_valid() is (not asked)


def test_it_sends_a_get_flow_to_the_reauth_page_and_back(client_as, employee):
    client = client_as(employee)

    @reauth.reauth_required
    def dangerous(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/robot/tokens/new/?x=1")
    request.user = employee
    request.session = client.session
    response = dangerous(request)
    assert response.status_code == 302
    assert response["Location"] == reverse("reauth") + "?next=%2Frobot%2Ftokens%2Fnew%2F%3Fx%3D1"
    stamp(client, 1)
    request.session = client.session
    assert dangerous(request).content == b"ok"


def test_it_asks_the_password_change_for_the_current_password_outside_the_window(
    client_as, employee
):
    client = client_as(employee)
    data = {
        "oldpassword": "wrong",
        "password1": "a-new-long-pass-42",
        "password2": "a-new-long-pass-42",
    }
    for _ in range(5):
        client.post(reverse("password_change"), data, REMOTE_ADDR=ADDRESS_A)
    data["oldpassword"] = PASSWORD
    assert client.post(reverse("password_change"), data, REMOTE_ADDR=ADDRESS_A).status_code == 429
    employee.refresh_from_db()
    assert employee.check_password(PASSWORD)


def test_it_does_not_ask_the_current_password_again_right_after_login(client, employee):
    login(client, "employee", PASSWORD, ADDRESS_A)
    page = client.get(reverse("password_change")).content.decode()
    assert 'type="password" name="oldpassword"' not in page
    data = {"password1": "a-new-long-pass-42", "password2": "a-new-long-pass-42"}
    assert client.post(reverse("password_change"), data).status_code == 302
    employee.refresh_from_db()
    assert employee.check_password("a-new-long-pass-42")
