"""Every ID token the test provider is told to spoil is refused with a Danish page,
and nobody is signed in. The provider is a real process; the portal's checks run
unpatched against its JWKS and token endpoint."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
import requests

from beredskab import entra
from beredskab.roles import Role
from tests.entra_support import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(entra_settings, provider, make_user):
    user = make_user(Role.MEDARBEJDER, username="tokens")
    entra.link(user, provider.add_user("tokens"))
    return user


def _refused(response, reason: str, danish: str) -> None:
    body = response.content.decode()
    assert response.status_code == 403
    assert f'data-reason="{reason}"' in body
    assert danish in body
    assert "Log-ind blev afvist" in body


@pytest.mark.parametrize(
    ("misbehaviour", "reason", "danish"),
    [
        ("wrong_audience", "audience", "ment for et andet program"),
        ("expired", "expired", "er udløbet"),
        ("missing_nonce", "nonce", "hørte ikke til dette log-ind"),
        ("bad_signature", "signature", "ikke underskrevet af kommunens tenant"),
        ("foreign_tenant", "tenant", "kun konti fra kommunens egen tenant"),
        ("wrong_issuer", "issuer", "kom ikke fra kommunens Entra ID"),
    ],
)
def test_it_refuses_a_spoilt_token(client, linked, provider, misbehaviour, reason, danish):
    provider.misbehave(misbehaviour)
    response = sign_in(client, provider, "tokens")
    _refused(response, reason, danish)
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_repeated_nonce(client, linked, provider):
    # A first, good sign-in leaves its nonce with the provider ...
    assert sign_in(client, provider, "tokens").status_code == 302
    client.logout()
    # ... which then answers the next sign-in with that old nonce.
    provider.misbehave("repeat_nonce")
    response = sign_in(client, provider, "tokens")
    _refused(response, "nonce", "hørte ikke til dette log-ind")
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_callback_replayed_after_use(client, linked, provider):
    start = client.post("/accounts/oidc/entra/login/")
    browser = requests.Session()
    browser.post(f"{provider.url}/login/", data={"username": "tokens", "next": "/"}, timeout=10)
    location = browser.get(start["Location"], allow_redirects=False, timeout=10).headers["Location"]
    params = {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}
    assert client.get("/accounts/oidc/entra/login/callback/", params).status_code == 302
    client.logout()
    again = client.get("/accounts/oidc/entra/login/callback/", params)
    assert again.status_code == 403
    assert "_auth_user_id" not in client.session


def test_it_does_not_let_a_signed_in_person_connect_an_oid(client, linked, provider, make_user):
    other = make_user(Role.MEDARBEJDER, username="someone")
    client.force_login(other)
    provider.add_user("tokens2")
    start = client.post("/accounts/oidc/entra/login/?process=connect")
    assert start.status_code == 302
    assert not entra.oid_of(other)


def test_it_refuses_the_login_start_by_get(client, entra_settings):
    assert client.get("/accounts/oidc/entra/login/").status_code == 405
    assert client.post("/accounts/oidc/other/login/").status_code == 404


def test_it_says_so_when_entra_does_not_answer(client, entra_settings):
    from tests.entra_support import free_port

    entra_settings.ENTRA_AUTHORITY_URL = f"http://127.0.0.1:{free_port()}/o"
    response = client.post("/accounts/oidc/entra/login/")
    assert response.status_code == 403
    assert 'data-reason="unreachable"' in response.content.decode()
    assert "Entra ID svarede ikke" in response.content.decode()
