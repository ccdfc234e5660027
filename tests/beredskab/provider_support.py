"""Fixtures for the SMS provider tests: the fake Twilio and the fake GatewayAPI, each a
real HTTP server, with the real clients pointed at them (Twilio primary, GatewayAPI
secondary unless a test says otherwise)."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from beredskab.models import ProviderHealth
from beredskab.notify import outbox
from tests.fakes import FakeGatewayApi, FakeTwilio


@pytest.fixture
def fake_twilio():
    with FakeTwilio(send_callbacks=False) as server:
        yield server


@pytest.fixture
def fake_gateway():
    with FakeGatewayApi() as server:
        yield server


@pytest.fixture
def two_providers(settings, fake_twilio, fake_gateway):
    """This process sends through both real clients: Twilio first, GatewayAPI second."""
    for name, value in {**fake_twilio.settings(), **fake_gateway.settings()}.items():
        setattr(settings, name, value)
    settings.SMS_PRIMARY_PROVIDER = "twilio"
    settings.SMS_SECONDARY_PROVIDER = "gatewayapi"
    settings.BASE_URL = "https://beredskab.example.invalid"
    return fake_twilio, fake_gateway


def sms(key: str, to: str = "+4520000001", body: str = "", *, priority="escalation") -> int:
    """Enqueue one SMS and (eagerly) hand it over, as the commit of a request would."""
    (pk,) = outbox.enqueue(
        [
            outbox.NewMessage(
                channel="sms",
                recipient=to,
                body=body or f"Besked {key}",
                idempotency_key=key,
                priority=priority,
            )
        ]
    )
    outbox.hand_over([pk])
    return pk


def closed_port_url() -> str:
    """A local URL nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_due(name: str) -> None:
    """Move the provider's unhealthy moment back past the probe time (instead of waiting)."""
    ProviderHealth.objects.filter(name=name).update(
        unhealthy_since=timezone.now() - timedelta(minutes=5)
    )


test_due.__test__ = False  # a helper, not a test
