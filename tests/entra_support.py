"""The test OpenID provider as a separate process (tests/oidc_provider/), and helpers
to configure the portal against it and walk a sign-in without a browser.

The provider is a real django-oauth-toolkit server: the portal fetches its discovery
document, JWKS and token endpoint over HTTP; nothing is mocked or patched."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
TENANT = "11111111-2222-4333-8444-555555555555"
CLIENT_ID = "beredskab-portal"
CLIENT_SECRET = "provider-test-secret"  # noqa: S105 - the throwaway provider's client
TEST_CALLBACK = "http://testserver/accounts/oidc/entra/login/callback/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Provider:
    def __init__(self, url: str):
        self.url = url
        self.authority = f"{url}/o"

    def control(self, **body) -> dict:
        response = requests.post(f"{self.url}/control/", json=body, timeout=10)
        response.raise_for_status()
        return response.json()

    def state(self) -> dict:
        return requests.get(f"{self.url}/control/", timeout=10).json()

    def add_user(self, username: str, *, oid: str | None = None, tid: str = TENANT, **claims):
        oid = oid or str(uuid.uuid4())
        self.control(users={username: {"oid": oid, "tid": tid, **claims}})
        return oid

    def misbehave(self, what: str) -> None:
        self.control(misbehave=what)

    def allow_redirect(self, uri: str) -> None:
        self.control(client_id=CLIENT_ID, redirect_uris=[uri])


@pytest.fixture(scope="session")
def oidc_provider():
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="oidc-provider-") as state_dir:
        log = open(Path(state_dir) / "server.log", "wb")  # noqa: SIM115 - closed below
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.oidc_provider.run",
                state_dir,
                str(port),
                CLIENT_ID,
                CLIENT_SECRET,
                TEST_CALLBACK,
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(f"{url}/healthz", timeout=1).ok:
                        break
                except requests.RequestException:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError(
                        "the test OpenID provider did not start:\n"
                        + (Path(state_dir) / "server.log").read_text()
                    )
                time.sleep(0.2)
            yield Provider(url)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


@pytest.fixture
def provider(oidc_provider):
    """The provider, reset to good behaviour, with no users."""
    oidc_provider.control(reset=True)
    return oidc_provider


@pytest.fixture
def entra_settings(settings, provider):
    settings.ENTRA_TENANT_ID = TENANT
    settings.ENTRA_CLIENT_ID = CLIENT_ID
    settings.ENTRA_CLIENT_SECRET = CLIENT_SECRET
    settings.ENTRA_AUTHORITY_URL = provider.authority
    settings.ENTRA_AUTH_CONTEXT = "c1"
    settings.ENTRA_TENANT_ENFORCES_MFA = False
    settings.ENTRA_ROLE_SOURCE = "scim"
    return settings


def sign_in(client, provider: Provider, username: str, **start_data):
    """Walk the code flow: the portal's login POST, the provider's login and
    authorisation (a real HTTP session, signing in whenever the provider asks), then
    the portal's callback. Returns the callback's response."""
    start = client.post("/accounts/oidc/entra/login/", start_data)
    assert start.status_code == 302, start
    browser = requests.Session()
    location = start["Location"]
    for _hop in range(6):
        if location.startswith(TEST_CALLBACK):
            break
        if location.startswith("/"):
            location = provider.url + location
        if urlparse(location).path == "/login/":
            next_url = parse_qs(urlparse(location).query).get("next", ["/"])[0]
            answer = browser.post(
                f"{provider.url}/login/",
                data={"username": username, "next": next_url},
                allow_redirects=False,
                timeout=10,
            )
        else:
            answer = browser.get(location, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text[:500]
        location = answer.headers["Location"]
    assert location.startswith(TEST_CALLBACK), location
    query = parse_qs(urlparse(location).query)
    assert "code" in query, location
    return client.get("/accounts/oidc/entra/login/callback/", {k: v[0] for k, v in query.items()})
