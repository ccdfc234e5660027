from __future__ import annotations

import json

import pytest
from django.urls import reverse

from beredskab import timeline
from contactcenter.models import CrisisMessage, RobotIntegration

pytestmark = pytest.mark.django_db
URL = "/api/robot/message"
TEXT = "Der er strømsvigt. Ring 1-1-2 ved fare for liv."


@pytest.fixture
def token() -> str:
    _integration, raw = RobotIntegration.create_with_token("InDialog", actor="test")
    return raw


@pytest.fixture
def live() -> CrisisMessage:
    message = CrisisMessage.write(TEXT, actor="test")
    message.publish(actor="test")
    return message


def get(client, token, **headers):
    return client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}", **headers)


def test_it_lives_at_the_documented_address():
    assert reverse("robot_api:message") == URL


def test_it_answers_live_false_when_nothing_is_live(client, token):
    response = get(client, token)
    assert response.status_code == 200
    assert response.json() == {"live": False}
    assert response["ETag"]


def test_it_answers_json_with_the_live_message(client, token, live):
    response = get(client, token, HTTP_ACCEPT="application/json")
    data = response.json()
    assert data["live"] is True
    assert data["text"] == TEXT
    assert data["version"] == 1
    assert "max-age=15" in response["Cache-Control"]
    assert "Accept" in response["Vary"]


def test_it_answers_plain_text_when_asked(client, token, live):
    response = get(client, token, HTTP_ACCEPT="text/plain")
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == TEXT
    assert response["ETag"] != get(client, token, HTTP_ACCEPT="application/json")["ETag"]


def test_it_answers_empty_text_when_nothing_is_live(client, token):
    response = get(client, token, HTTP_ACCEPT="text/plain")
    assert response.status_code == 200
    assert response.content == b""


def test_it_answers_304_to_a_poll_with_the_same_etag(client, token, live):
    etag = get(client, token)["ETag"]
    again = get(client, token, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_it_changes_the_etag_when_a_new_version_goes_live(client, token, live):
    etag = get(client, token)["ETag"]
    newer = CrisisMessage.write(TEXT + " Nyt.", actor="test")
    newer.publish(actor="test")
    response = get(client, token, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert json.loads(response.content)["version"] == 2
    newer.withdraw(actor="test")
    assert get(client, token).json() == {"live": False}


@pytest.mark.parametrize("auth", ["", "Bearer", "Bearer wrong-token", "Basic abc"])
def test_it_answers_401_and_no_message_without_a_valid_token(client, live, auth):
    response = client.get(URL, HTTP_AUTHORIZATION=auth) if auth else client.get(URL)
    assert response.status_code == 401
    assert TEXT not in response.content.decode()
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_answers_401_to_a_revoked_or_rotated_token(client, live):
    integration, raw = RobotIntegration.create_with_token("Robot", actor="test")
    assert get(client, raw).status_code == 200
    new = integration.rotate(actor="test")
    assert get(client, raw).status_code == 401
    assert get(client, new).status_code == 200
    integration.revoke(actor="test")
    assert get(client, new).status_code == 401
    kinds = [e.kind for e in timeline.events_for(integration)]
    assert kinds[-2:] == ["robot_integration.rotated", "robot_integration.revoked"]


def test_it_stores_only_the_tokens_hash(token):
    integration = RobotIntegration.objects.get()
    assert token not in integration.token_hash
    assert len(integration.token_hash) == 64
    assert token.startswith(integration.token_hint)


def test_it_refuses_406_for_an_unsupported_type(client, token):
    assert get(client, token, HTTP_ACCEPT="image/png").status_code == 406
