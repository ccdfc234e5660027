"""GatewayAPI's delivery reports: JWT-verified (X-Gwapi-Signature, HS256), forward-only,
and no bad input causes a 5xx or changes a message."""

from __future__ import annotations

import json

import jwt
import pytest
from django.urls import reverse

from beredskab.models import OutboxMessage, Status
from tests.beredskab.provider_support import sms
from tests.fakes import WEBHOOK_SECRET_GATEWAYAPI as SECRET

URL = "/webhooks/gatewayapi/status"


@pytest.fixture
def gateway(settings, fake_gateway):
    for name, value in fake_gateway.settings().items():
        setattr(settings, name, value)
    settings.SMS_PRIMARY_PROVIDER = "gatewayapi"
    return fake_gateway


@pytest.fixture
def sent(db, gateway):
    pk = sms("a")
    return OutboxMessage.objects.get(pk=pk), gateway.messages[0]


def post(client, body: bytes, headers: dict):
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={k: v for k, v in headers.items() if k != "Content-Type"},
    )


def test_the_url_is_the_one_sent_with_each_message():
    assert reverse("gatewayapi_status") == URL


def test_it_moves_the_status_forward(client, sent, gateway):
    msg, received = sent
    for state in ("ENROUTE", "DELIVERED"):
        assert post(client, *gateway.report(received, state)).status_code == 204
    msg.refresh_from_db()
    assert msg.status == Status.DELIVERED and msg.finished_at is not None


def test_it_ignores_a_step_backwards(client, sent, gateway):
    msg, received = sent
    post(client, *gateway.report(received, "DELIVERED"))
    assert post(client, *gateway.report(received, "ENROUTE")).status_code == 204
    msg.refresh_from_db()
    assert msg.status == Status.DELIVERED


def test_it_records_the_error_code_of_a_failed_delivery(client, sent, gateway):
    msg, received = sent
    post(client, *gateway.report(received, "UNDELIVERABLE", code="0x0e", error="absent"))
    msg.refresh_from_db()
    assert (msg.status, msg.error_code) == (Status.UNDELIVERED, "0x0e")


def test_it_refuses_a_wrong_signature(client, sent, gateway):
    msg, received = sent
    payload = gateway.report_payload(received, "DELIVERED")
    wrong = "a-wrong-secret-that-is-long-enough-for-hs256"
    headers = {"X-Gwapi-Signature": jwt.encode(payload, wrong, algorithm="HS256")}
    assert post(client, json.dumps(payload).encode(), headers).status_code == 403
    msg.refresh_from_db()
    assert msg.status == Status.ACCEPTED


def test_it_refuses_an_unsigned_token(client, sent, gateway):
    msg, received = sent
    payload = gateway.report_payload(received, "DELIVERED")
    token = jwt.encode(payload, None, algorithm="none")
    assert post(client, b"{}", {"X-Gwapi-Signature": token}).status_code == 403


def test_it_refuses_a_missing_signature(client, sent, gateway):
    msg, received = sent
    body, _ = gateway.report(received, "DELIVERED")
    assert post(client, body, {}).status_code == 403


def test_it_refuses_everything_while_no_secret_is_set(client, sent, gateway, settings):
    settings.GATEWAYAPI_WEBHOOK_SECRET = ""
    msg, received = sent
    assert post(client, *gateway.report(received, "DELIVERED")).status_code == 403


def test_it_reads_the_signed_claims_not_the_unsigned_body(client, sent, gateway):
    msg, received = sent
    _, headers = gateway.report(received, "ENROUTE")
    forged = json.dumps(gateway.report_payload(received, "DELIVERED")).encode()
    assert post(client, forged, headers).status_code == 204
    msg.refresh_from_db()
    assert msg.status == Status.SENT


@pytest.mark.parametrize(
    "claims",
    [{"status": "DELIVERED"}, {"id": "12", "status": "DELIVERED"}, {"id": True}, {"id": -1}],
)
def test_it_answers_a_malformed_report_with_400(client, sent, gateway, claims):
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    assert post(client, b"not json", {"X-Gwapi-Signature": token}).status_code == 400


def test_it_answers_a_token_that_is_not_a_jwt_with_403(client, db, gateway):
    assert post(client, b"{}", {"X-Gwapi-Signature": "a.b.c"}).status_code == 403


def test_it_acknowledges_and_ignores_an_unknown_status(client, sent, gateway):
    msg, received = sent
    assert post(client, *gateway.report(received, "TELEPORTED")).status_code == 204
    msg.refresh_from_db()
    assert msg.status == Status.ACCEPTED


def test_a_report_for_a_message_nobody_knows_changes_nothing(client, sent, gateway):
    msg, received = sent
    received.id += 1000
    assert post(client, *gateway.report(received, "DELIVERED")).status_code == 204
    msg.refresh_from_db()
    assert msg.status == Status.ACCEPTED


def test_a_report_reconciles_an_unknown_send_by_our_reference(client, sent, gateway):
    msg, received = sent
    OutboxMessage.objects.filter(pk=msg.pk).update(status=Status.UNKNOWN, provider_id="")
    assert post(client, *gateway.report(received, "DELIVERED")).status_code == 204
    msg.refresh_from_db()
    assert (msg.status, msg.provider_id) == (Status.DELIVERED, f"GW{received.id}")


def test_a_report_cannot_adopt_a_message_that_went_to_another_provider(client, sent, gateway):
    msg, received = sent
    OutboxMessage.objects.filter(pk=msg.pk).update(
        status=Status.UNKNOWN, provider_id="", provider="twilio"
    )
    assert post(client, *gateway.report(received, "DELIVERED")).status_code == 204
    msg.refresh_from_db()
    assert msg.status == Status.UNKNOWN


def test_a_report_that_races_the_worker_asks_to_be_sent_again(client, sent, gateway):
    msg, received = sent
    OutboxMessage.objects.filter(pk=msg.pk).update(status=Status.CLAIMED, provider_id="")
    assert post(client, *gateway.report(received, "DELIVERED")).status_code == 409


def test_it_takes_only_post(client, db):
    assert client.get(URL).status_code == 405


def test_the_fake_posts_reports_the_view_accepts(db, settings, live_server):
    """The fake's own reports (as GatewayAPI sends them) reach the real view over HTTP."""
    from tests.fakes import FakeGatewayApi

    with FakeGatewayApi(send_reports=True) as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        settings.SMS_PRIMARY_PROVIDER = "gatewayapi"
        settings.BASE_URL = live_server.url
        pk = sms("live")
        assert server.wait_for(
            lambda messages: [s for s, _ in messages[0].reports] == ["ENROUTE", "DELIVERED"]
        )
        assert [answer for _, answer in server.messages[0].reports] == [204, 204]
    assert OutboxMessage.objects.get(pk=pk).status == Status.DELIVERED
