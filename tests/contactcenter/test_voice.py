"""The fallback voice line, through the real twilio library's validator and TwiML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from contactcenter.models import CrisisMessage

pytestmark = pytest.mark.django_db
AUTH_TOKEN = "voice-test-auth-token"
BASE = "https://beredskab.example.invalid"
TEXT = "Der er strømsvigt i Aabenraa. Ring 1-1-2 ved fare for liv."
CALL = {"CallSid": "CA123", "From": "+4520000001", "To": "+4570000000", "CallStatus": "ringing"}


@pytest.fixture(autouse=True)
def twilio_settings(settings):
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.BASE_URL = BASE


def signed_post(client, data=CALL, signature=None):
    url = reverse("contactcenter:voice")
    if signature is None:
        signature = RequestValidator(AUTH_TOKEN).compute_signature(BASE + url, data)
    return client.post(url, data, HTTP_X_TWILIO_SIGNATURE=signature)


def says(response) -> list[tuple[str, str]]:
    root = ET.fromstring(response.content)
    assert root.tag == "Response"
    return [(el.get("language"), el.text) for el in root.iter("Say")]


def test_it_reads_the_live_message_in_danish(client):
    message = CrisisMessage.write(TEXT, actor="test")
    message.publish(actor="test")
    response = signed_post(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert says(response)[0] == ("da-DK", TEXT)


def test_it_says_the_centre_cannot_answer_when_nobody_is_reachable(client):
    response = signed_post(client)
    root = ET.fromstring(response.content)
    assert root.find("Dial") is None
    assert all(language == "da-DK" for language, _text in says(response))
    assert "Ring venligst igen senere" in says(response)[-1][1]


def test_it_refuses_a_wrong_signature_with_403(client):
    message = CrisisMessage.write(TEXT, actor="test")
    message.publish(actor="test")
    response = signed_post(client, signature="bm90LWEtc2lnbmF0dXJl")
    assert response.status_code == 403
    assert TEXT not in response.content.decode()


def test_it_refuses_a_missing_signature_and_a_get(client):
    url = reverse("contactcenter:voice")
    assert client.post(url, CALL).status_code == 403
    assert client.get(url).status_code == 405


def test_it_refuses_a_signature_for_other_parameters(client):
    url = reverse("contactcenter:voice")
    signature = RequestValidator(AUTH_TOKEN).compute_signature(BASE + url, CALL)
    tampered = {**CALL, "From": "+4599999999"}
    assert signed_post(client, tampered, signature=signature).status_code == 403
