"""Proof of a second factor at Entra ID, and the portal's own second factor when the
sign-in lacks it (allauth.mfa's login stage, kept for Entra sign-ins)."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import RequestFactory
from django.urls import reverse

from beredskab import entra
from beredskab.roles import Role
from tests.entra_support import sign_in

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


@pytest.fixture
def koordinator_with_totp(entra_settings, provider, make_user):
    user = make_user(Role.MEDARBEJDER, Role.SYSTEMKOORDINATOR, username="kk")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def test_it_asks_for_totp_when_the_token_lacks_the_proof(client, provider, koordinator_with_totp):
    user, secret = koordinator_with_totp
    entra.link(user, provider.add_user("kk"))
    response = sign_in(client, provider, "kk")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert page.status_code == 200
    done = client.post(response["Location"], {"code": current_code(secret)})
    assert done.status_code == 302, done.content[:2000]
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session[entra.MFA_PROOF_SESSION_KEY] is False


def test_it_refuses_a_wrong_totp(client, provider, koordinator_with_totp):
    user, _secret = koordinator_with_totp
    entra.link(user, provider.add_user("kk"))
    response = sign_in(client, provider, "kk")
    wrong = client.post(response["Location"], {"code": "000000"})
    assert wrong.status_code in (200, 400)
    assert "_auth_user_id" not in client.session


def test_it_lets_a_proven_sign_in_skip_the_totp(client, provider, koordinator_with_totp):
    user, _secret = koordinator_with_totp
    entra.link(user, provider.add_user("kk", acrs=["c1"]))
    response = sign_in(client, provider, "kk")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session[entra.MFA_PROOF_SESSION_KEY] is True


def test_it_does_not_take_another_context_as_proof(client, provider, koordinator_with_totp):
    user, _secret = koordinator_with_totp
    entra.link(user, provider.add_user("kk", acrs=["c2"]))
    response = sign_in(client, provider, "kk")
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_it_trusts_a_tenant_that_enforces_mfa(client, provider, koordinator_with_totp, settings):
    settings.ENTRA_AUTH_CONTEXT = ""
    settings.ENTRA_TENANT_ENFORCES_MFA = True
    user, _secret = koordinator_with_totp
    entra.link(user, provider.add_user("kk"))
    response = sign_in(client, provider, "kk")
    assert response["Location"] == reverse("home")
    assert client.session[entra.MFA_PROOF_SESSION_KEY] is True


def test_it_keeps_asking_a_password_login_for_totp(client, koordinator_with_totp):
    from tests.conftest import PASSWORD

    user, _secret = koordinator_with_totp
    response = client.post(reverse("login"), {"login": user.username, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")


def test_it_reports_no_proof_without_an_entra_sign_in():
    request = RequestFactory().get("/")
    request.session = {}
    assert entra.has_entra_mfa_proof(request) is False
    request.session = {entra.MFA_PROOF_SESSION_KEY: True}
    assert entra.has_entra_mfa_proof(request) is True


def test_it_takes_the_proof_from_this_sign_in_only(client, provider, koordinator_with_totp):
    user, _secret = koordinator_with_totp
    oid = provider.add_user("kk", acrs=["c1"])
    entra.link(user, oid)
    assert sign_in(client, provider, "kk")["Location"] == reverse("home")
    client.logout()
    # The account still remembers the proven sign-in; the next token has no proof.
    provider.add_user("kk", oid=oid, acrs=[])
    response = sign_in(client, provider, "kk")
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
