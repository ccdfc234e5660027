"""The fallback voice line, through the real twilio library's validator and TwiML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from twilio.request_validator import RequestValidator

from beredskab.roles import Role
from contactcenter.models import CrisisMessage, Reachability

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


def test_it_never_dials_a_number_outside_denmark_even_if_one_is_stored(client, make_user):
    """A number stored before the rule, or written past the form, is skipped."""
    abroad = make_user(Role.KONTAKTCENTER, username="abroad").person
    local = make_user(Role.KONTAKTCENTER, username="local").person
    now = timezone.now()
    for person, number, minutes in ((abroad, "+442071234567", 10), (local, "+4520112233", 5)):
        Reachability.objects.create(
            person=person,
            where="home",
            how="mobile",
            number=number,
            declared_at=now - timedelta(minutes=minutes),
            expires_at=now + timedelta(hours=1),
        )
    root = ET.fromstring(signed_post(client).content)
    assert [dial.text for dial in root.iter("Dial")] == ["+4520112233"]


def test_it_does_not_dial_at_all_when_only_a_foreign_number_is_reachable(client, make_user):
    person = make_user(Role.KONTAKTCENTER, username="abroad").person
    Reachability.objects.create(
        person=person,
        where="home",
        how="mobile",
        number="+4790123456",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    root = ET.fromstring(signed_post(client).content)
    assert root.find("Dial") is None
