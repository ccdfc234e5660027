"""The login runs on django-allauth: username login, no sign-up, the portal's look,
Django's usual URL names kept, the offline copy cleared on logout, and no MFA pages
exposed before the second factor is supported everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from allauth.account.views import LoginView as AllauthLoginView
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import resolve, reverse

from tests.conftest import PASSWORD


@pytest.mark.parametrize(
    ("ours", "allauths"),
    [
        ("login", "account_login"),
        ("logout", "account_logout"),
        ("password_change", "account_change_password"),
        ("password_reset", "account_reset_password"),
        ("password_reset_done", "account_reset_password_done"),
        ("password_reset_complete", "account_reset_password_from_key_done"),
    ],
)
def test_it_keeps_the_usual_url_names_beside_allauths(ours, allauths):
    assert reverse(ours) == reverse(allauths)


def test_it_logs_in_through_allauth_with_the_username(client, employee):
    assert issubclass(resolve(reverse("login")).func.view_class, AllauthLoginView)
    response = client.post(reverse("login"), {"login": "employee", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert response.wsgi_request.user == employee


def test_it_goes_on_to_next_after_login(client, employee):
    response = client.post(
        reverse("login") + "?next=/training/",
        {"login": "employee", "password": PASSWORD, "next": "/training/"},
    )
    assert response["Location"] == "/training/"


@pytest.mark.django_db
def test_it_answers_a_wrong_login_with_400_in_danish(client):
    response = client.post(
        reverse("login"), {"login": "nobody", "password": "x"}, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'lang="da"' in html


@pytest.mark.django_db
def test_it_has_no_sign_up(client):
    response = client.post(
        reverse("account_signup"),
        {"username": "intruder", "password1": "a-long-pass-99x", "password2": "a-long-pass-99x"},
    )
    assert not User.objects.filter(username="intruder").exists()
    assert 'name="password1"' not in response.content.decode()
    assert reverse("account_signup") not in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_it_shows_allauths_own_pages_in_the_portals_look(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert 'class="skip-link"' in html
    assert "css/portal.css" in html


def test_it_exposes_the_mfa_pages_in_the_portals_look(client_as, employee):
    assert "allauth.mfa" in settings.INSTALLED_APPS
    response = client_as(employee).get("/accounts/2fa/")
    assert response.status_code == 200
    assert 'class="skip-link"' in response.content.decode()
    # allauth's own re-authentication is not exposed: beredskab.reauth is the one.
    assert client_as(employee).get("/accounts/2fa/reauthenticate/").status_code == 404


def test_it_clears_the_offline_copy_on_logout(client_as, employee):
    client = client_as(employee)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_keeps_the_csrf_cookie_away_from_scripts(client):
    response = client.get(reverse("login"))
    assert settings.CSRF_COOKIE_HTTPONLY is True
    assert response.cookies[settings.CSRF_COOKIE_NAME]["httponly"] is True
    # htmx takes the token from the page (<body hx-headers>), never from the cookie.
    static = Path(settings.BASE_DIR) / "static"
    for script in static.rglob("*.js"):
        assert "cookie" not in script.read_text(encoding="utf-8").lower(), script


def test_it_gives_htmx_the_csrf_token_from_the_page(client_as, employee):
    html = client_as(employee).get(reverse("home")).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_it_tells_the_owner_when_the_password_changes(client_as, employee):
    from django.core import mail

    response = client_as(employee).post(
        reverse("password_change"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-pass-42",
            "password2": "a-new-long-pass-42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert [m.to for m in mail.outbox] == [[employee.email]]
