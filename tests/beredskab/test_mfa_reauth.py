"""Re-authentication (beredskab/reauth.py) asks a person who has a second factor for a
code as well as the password ("a password plus the second factor"), and the factor
pages themselves are behind it."""

from __future__ import annotations

from django.urls import reverse

from beredskab import reauth
from tests.beredskab.mfa_support import give_totp, recovery_codes, totp_now, wrong_code
from tests.conftest import PASSWORD

ADDRESS = "198.51.100.10"


def reauth_post(client, data):
    return client.post(reverse("reauth"), {"next": "/", **data}, REMOTE_ADDR=ADDRESS)


def test_it_asks_only_for_the_password_without_a_factor(client_as, employee):
    client = client_as(employee)
    page = client.get(reverse("reauth"))
    assert "reauth_code" not in page.content.decode()
    assert reauth_post(client, {"password": PASSWORD}).status_code == 302


def test_it_asks_for_a_code_from_the_factor_too(client_as, employee):
    give_totp(employee)
    client = client_as(employee)
    assert 'name="reauth_code"' in client.get(reverse("reauth")).content.decode()


def test_it_refuses_the_password_alone_once_there_is_a_factor(client_as, employee):
    give_totp(employee)
    client = client_as(employee)
    response = reauth_post(client, {"password": PASSWORD})
    assert response.status_code == 400
    assert reauth.SESSION_KEY not in client.session


def test_it_accepts_the_password_and_the_code(client_as, employee):
    secret = give_totp(employee)
    client = client_as(employee)
    response = reauth_post(client, {"password": PASSWORD, "reauth_code": totp_now(secret)})
    assert response.status_code == 302
    assert reauth.SESSION_KEY in client.session


def test_it_refuses_a_wrong_code_even_with_the_right_password(client_as, employee):
    secret = give_totp(employee)
    client = client_as(employee)
    response = reauth_post(client, {"password": PASSWORD, "reauth_code": wrong_code(secret)})
    assert response.status_code == 400
    assert reauth.SESSION_KEY not in client.session


def test_it_refuses_a_code_used_already(client_as, employee):
    secret = give_totp(employee)
    client = client_as(employee)
    code = totp_now(secret)
    assert reauth_post(client, {"password": PASSWORD, "reauth_code": code}).status_code == 302
    session = client.session
    session.pop(reauth.SESSION_KEY)
    session.save()
    assert reauth_post(client, {"password": PASSWORD, "reauth_code": code}).status_code == 400


def test_it_accepts_a_recovery_code(client_as, employee):
    give_totp(employee)
    client = client_as(employee)
    code = recovery_codes(employee)[0]
    response = reauth_post(client, {"password": PASSWORD, "reauth_code": code})
    assert response.status_code == 302


def test_it_counts_wrong_codes_toward_the_lockout(client_as, employee):
    secret = give_totp(employee)
    client = client_as(employee)
    for _ in range(5):
        reauth_post(client, {"password": PASSWORD, "reauth_code": wrong_code(secret)})
    response = reauth_post(client, {"password": PASSWORD, "reauth_code": totp_now(secret)})
    assert response.status_code in {400, 429}
    assert reauth.SESSION_KEY not in client.session


def test_it_asks_for_reauthentication_before_the_factor_pages(client_as, employee):
    give_totp(employee)
    client = client_as(employee)
    for name in (
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_add_webauthn",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("reauth")), name
