"""The GatewayAPI provider: the real httpx client against the fake GatewayAPI server,
written from GatewayAPI's REST API documentation."""

from __future__ import annotations

import pytest

from beredskab.models import OutboxMessage, Status
from beredskab.notify.providers import gatewayapi
from beredskab.notify.sms import SmsError
from tests.beredskab.provider_support import closed_port_url, sms


@pytest.fixture
def gateway(settings, fake_gateway):
    """GatewayAPI is the only provider (e.g. a municipality that keeps all SMS in the EU)."""
    for name, value in fake_gateway.settings().items():
        setattr(settings, name, value)
    settings.SMS_PRIMARY_PROVIDER = "gatewayapi"
    settings.SMS_SECONDARY_PROVIDER = ""
    settings.BASE_URL = "https://beredskab.example.invalid"
    return fake_gateway


def test_it_sends_with_the_token_and_stores_the_id_and_provider(db, gateway):
    pk = sms("a", to="+4520000001", body="Hej æøå")
    msg = OutboxMessage.objects.get(pk=pk)
    (received,) = gateway.messages
    assert (received.msisdn, received.message) == (4520000001, "Hej æøå")
    assert received.sender == "Beredskab"
    assert received.userref == str(pk)  # our reference comes back in delivery reports
    assert received.callback_url == "https://beredskab.example.invalid/webhooks/gatewayapi/status"
    assert (msg.status, msg.provider, msg.provider_id) == (
        Status.ACCEPTED,
        "gatewayapi",
        f"GW{received.id}",
    )


def test_a_wrong_token_is_refused_and_not_sent(db, gateway, settings):
    settings.GATEWAYAPI_TOKEN = "not-the-token"
    provider = gatewayapi.GatewayApiProvider.configured()
    with pytest.raises(SmsError) as caught:
        provider.send("+4520000001", "x", reference="1", status_callback=None)
    assert caught.value.code == "0x0308" and not caught.value.permanent
    assert not caught.value.ambiguous and gateway.messages == []


def test_a_rejected_message_fails_permanently(db, gateway):
    provider = gatewayapi.GatewayApiProvider.configured()
    with pytest.raises(SmsError) as caught:
        provider.send("+4520000001", "", reference="1", status_callback=None)
    assert caught.value.permanent and caught.value.code == "0x0201"


def test_a_number_that_is_not_digits_fails_permanently_without_a_request(db, gateway):
    provider = gatewayapi.GatewayApiProvider.configured()
    with pytest.raises(SmsError) as caught:
        provider.send("+45 2000 0001", "x", reference="1", status_callback=None)
    assert caught.value.permanent and gateway.requests == {}


def test_a_server_error_is_an_unknown_outcome(db, gateway):
    gateway.server_error_next(1)
    pk = sms("a")
    msg = OutboxMessage.objects.get(pk=pk)
    assert (msg.status, msg.provider) == (Status.UNKNOWN, "gatewayapi")


def test_a_refused_connection_is_not_an_unknown_outcome(db, gateway, settings):
    settings.GATEWAYAPI_API_BASE_URL = closed_port_url()
    provider = gatewayapi.GatewayApiProvider.configured()
    with pytest.raises(SmsError) as caught:
        provider.send("+4520000001", "x", reference="1", status_callback=None)
    assert caught.value.code == "transport" and not caught.value.ambiguous


def test_a_rate_limit_is_a_rate_limit(db, gateway):
    gateway.rate_limit_next(1)
    provider = gatewayapi.GatewayApiProvider.configured()
    with pytest.raises(SmsError) as caught:
        provider.send("+4520000001", "x", reference="1", status_callback=None)
    assert caught.value.rate_limited


def test_it_cannot_look_a_message_up_by_recipient(db, gateway):
    provider = gatewayapi.GatewayApiProvider.configured()
    with pytest.raises(SmsError):
        provider.lookup("+4520000001", "x", since=None)


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("BUFFERED", "accepted"),
        ("SCHEDULED", "scheduled"),
        ("ENROUTE", "sent"),
        ("DELIVERED", "delivered"),
        ("ACCEPTED", "delivered"),
        ("UNDELIVERABLE", "undelivered"),
        ("EXPIRED", "undelivered"),
        ("REJECTED", "undelivered"),
        ("SKIPPED", "undelivered"),
        ("DELETED", "failed"),
        ("delivered", "delivered"),
        ("UNKNOWN", None),
        ("NONSENSE", None),
        (None, None),
        (42, None),
    ],
)
def test_it_maps_gatewayapis_states_onto_the_outbox(word, status):
    assert gatewayapi.status_word(word) == status
