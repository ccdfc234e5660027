"""Entra ID sign-in through a real OpenID provider process (tests/oidc_provider/):
the happy path, the login page, and what is sent in the authorisation request."""

from __future__ import annotations

import pytest
import requests
from django.urls import reverse

from beredskab import entra
from beredskab.roles import Role
from tests.entra_support import sign_in

pytestmark = pytest.mark.django_db


def test_it_signs_in_a_linked_employee(client, entra_settings, provider, make_user):
    user = make_user(Role.MEDARBEJDER, username="ea")
    oid = provider.add_user("ea")
    entra.link(user, oid)
    response = sign_in(client, provider, "ea")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session[entra.MFA_PROOF_SESSION_KEY] is False


def test_it_sends_nonce_pkce_and_the_auth_context(client, entra_settings, provider):
    # The provider records the authorisation request when the browser arrives with it.
    start = client.post("/accounts/oidc/entra/login/")
    requests.get(start["Location"], allow_redirects=False, timeout=10)
    asked = provider.state()["authorize"][-1]
    assert len(asked["nonce"]) >= 32
    assert asked["code_challenge_method"] == "S256"
    assert '"acrs"' in asked["claims"] and '"c1"' in asked["claims"]
    assert "email" not in asked["scope"].split()


def test_it_offers_the_municipality_first_on_the_login_page(client, entra_settings):
    page = client.get(reverse("login")).content.decode()
    assert "Log ind med Aabenraa Kommunes konto" in page
    assert page.index("entra-login") < page.index('name="password"')


def test_it_leaves_the_login_page_alone_when_not_configured(client, settings):
    settings.ENTRA_TENANT_ID = ""
    page = client.get(reverse("login")).content.decode()
    assert "entra-login" not in page
    assert client.post("/accounts/oidc/entra/login/").status_code == 404


def test_it_refuses_an_unknown_oid_with_a_danish_page(client, entra_settings, provider, make_user):
    make_user(Role.MEDARBEJDER, username="known")
    provider.add_user("stranger")
    response = sign_in(client, provider, "stranger")
    assert response.status_code == 403
    assert "Du er ikke oprettet i portalen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_never_matches_or_creates_by_e_mail_or_name(client, entra_settings, provider, make_user):
    from allauth.socialaccount.models import SocialAccount
    from django.contrib.auth.models import User

    known = make_user(Role.MEDARBEJDER, username="known")
    # The token names the portal login's e-mail address and username, under a new oid.
    provider.add_user("known", email=known.email, preferred_username="known", name=known.username)
    logins = User.objects.count()
    response = sign_in(client, provider, "known")
    assert response.status_code == 403
    assert "Du er ikke oprettet i portalen" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == logins
    assert not SocialAccount.objects.exists()


def test_it_lets_the_login_form_go_on_to_the_tenant_only(client, entra_settings, provider):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if "form-action" in d)
    assert provider.url in form_action  # scheme, host and port of the authority only
    assert "/o" not in form_action


def _reauth_round(client, provider, username, next_url="/directory/"):
    """The re-authentication page's Entra button, walked like sign_in()."""
    return sign_in(client, provider, username, reauth="1", next=next_url)


def test_it_reauthenticates_an_entra_login_by_signing_in_again(
    client, entra_settings, provider, make_user, settings
):
    from beredskab import reauth

    user = make_user(Role.MEDARBEJDER, username="re")
    entra.link(user, provider.add_user("re"))
    assert sign_in(client, provider, "re").status_code == 302
    session = client.session
    session.pop(reauth.SESSION_KEY)
    session.save()
    page = client.get(reverse("reauth") + "?next=/directory/")
    assert b'id="entra-reauth"' in page.content
    assert b'name="password"' not in page.content
    response = _reauth_round(client, provider, "re")
    assert response.status_code == 302 and response["Location"] == "/directory/"
    assert any(a.get("prompt") == "login" for a in provider.state()["authorize"])
    assert int(client.session["_auth_user_id"]) == user.pk
    assert reauth.SESSION_KEY in client.session


def test_it_refuses_a_reauthentication_by_another_person(
    client, entra_settings, provider, make_user
):
    first = make_user(Role.MEDARBEJDER, username="first")
    second = make_user(Role.MEDARBEJDER, username="second")
    entra.link(first, provider.add_user("first"))
    entra.link(second, provider.add_user("second"))
    assert sign_in(client, provider, "first").status_code == 302
    response = _reauth_round(client, provider, "second")
    assert response.status_code == 403
    assert 'data-reason="other_person"' in response.content.decode()
    assert int(client.session["_auth_user_id"]) == first.pk


def test_it_sends_an_entra_login_from_a_password_form_to_entra(
    client, entra_settings, provider, make_user, rf
):
    from beredskab import reauth

    user = make_user(Role.MEDARBEJDER, username="form")
    entra.link(user, provider.add_user("form"))
    request = rf.post("/broadcasts/new/", {"password": "anything"})
    request.user, request.session = user, {}
    form = reauth.ReauthForm({"password": "anything"}, request=request)
    assert not form.is_valid()
    assert form.errors["password"][0].startswith("Du logger ind med kommunens konto")
    assert "/accounts/reauth/?next=%2Fbroadcasts%2Fnew%2F" in form.errors["password"][0]
