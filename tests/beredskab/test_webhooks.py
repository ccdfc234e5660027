"""Twilio status callbacks: signature checked against BASE_URL, status moves forward only."""

from __future__ import annotations

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from beredskab.models import OutboxMessage, Status
from beredskab.notify import outbox

TOKEN = "callback-test-token"
BASE = "https://beredskab.example.dk"


@pytest.fixture(autouse=True)
def twilio_settings(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.BASE_URL = BASE
    settings.ALLOWED_HOSTS = ["beredskab.example.dk", "testserver"]


@pytest.fixture
def accepted(db) -> OutboxMessage:
    (pk,) = outbox.enqueue(
        [outbox.NewMessage(channel="sms", recipient="+4520000001", body="x", idempotency_key="k")]
    )
    token = outbox.claim(pk)
    outbox.start_send(pk, token)
    outbox.record_accepted(pk, token, "SM123", "queued")
    return OutboxMessage.objects.get(pk=pk)


def post(
    client,
    status: str,
    *,
    sid: str = "SM123",
    signed_url: str | None = None,
    more: dict | None = None,
    **extra,
):
    url = reverse("twilio_status")
    params = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC1", "To": "+4520000001"}
    params.update(more or {})
    signature = RequestValidator(TOKEN).compute_signature(signed_url or BASE + url, params)
    return client.post(url, params, HTTP_X_TWILIO_SIGNATURE=signature, **extra)


def status_of(msg: OutboxMessage) -> str:
    msg.refresh_from_db()
    return msg.status


def test_it_moves_the_status_forward(client, accepted):
    assert post(client, "sent").status_code == 204
    assert status_of(accepted) == Status.SENT
    assert post(client, "delivered").status_code == 204
    assert status_of(accepted) == Status.DELIVERED
    assert accepted.finished_at is not None


def test_it_ignores_a_repeat_and_a_step_backwards(client, accepted):
    post(client, "delivered")
    assert post(client, "delivered").status_code == 204
    assert post(client, "sent").status_code == 204
    assert status_of(accepted) == Status.DELIVERED


def test_it_records_the_error_of_an_undelivered_message(client, accepted):
    post(client, "undelivered", more={"ErrorCode": "30003"})
    assert status_of(accepted) == Status.UNDELIVERED
    assert accepted.error_code == "30003"


def test_it_refuses_a_bad_signature(client, accepted):
    url = reverse("twilio_status")
    params = {"MessageSid": "SM123", "MessageStatus": "delivered"}
    forged = RequestValidator("wrong-token").compute_signature(BASE + url, params)
    assert client.post(url, params, HTTP_X_TWILIO_SIGNATURE=forged).status_code == 403
    assert client.post(url, params).status_code == 403
    assert status_of(accepted) == Status.ACCEPTED


def test_it_refuses_a_signature_made_for_another_address(client, accepted):
    response = post(client, "delivered", signed_url="https://evil.example/webhooks/twilio/status")
    assert response.status_code == 403
    assert status_of(accepted) == Status.ACCEPTED


def test_it_checks_the_public_url_behind_a_tls_terminating_proxy(client, accepted):
    # The proxy speaks plain http to the portal; Twilio signed the public https URL.
    response = post(
        client,
        "delivered",
        HTTP_HOST="beredskab.example.dk",
        HTTP_X_FORWARDED_PROTO="https",
        secure=False,
    )
    assert response.status_code == 204
    assert status_of(accepted) == Status.DELIVERED


def test_it_answers_405_to_get(client):
    assert client.get(reverse("twilio_status")).status_code == 405


def test_it_accepts_a_callback_for_a_message_it_does_not_know(client, db):
    assert post(client, "delivered", sid="SMunknown").status_code == 204
    assert not OutboxMessage.objects.exists()
