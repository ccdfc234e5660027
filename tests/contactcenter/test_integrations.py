from __future__ import annotations

import pytest
from django.urls import reverse

from contactcenter.models import RobotIntegration
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_shows_a_new_token_once_and_stores_only_its_hash(client_as, cc_leader):
    client = client_as(cc_leader)
    response = client.post(
        reverse("contactcenter:integration_create"), {"name": "InDialog", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    integration = RobotIntegration.objects.get()
    token = response.context["token"]
    assert token in response.content.decode()
    assert RobotIntegration.authenticate(token) == integration
    listing = client.get(reverse("contactcenter:integrations")).content.decode()
    assert token not in listing
    assert integration.token_hint in listing


def test_it_rotates_a_token_and_the_old_one_stops_working(client_as, cc_leader):
    integration, old = RobotIntegration.create_with_token("InDialog", actor="test")
    response = client_as(cc_leader).post(
        reverse("contactcenter:integration_rotate", args=[integration.pk]), {"password": PASSWORD}
    )
    new = response.context["token"]
    assert new != old
    assert RobotIntegration.authenticate(old) is None
    assert RobotIntegration.authenticate(new) == integration


def test_it_revokes_a_token(client_as, cc_leader):
    integration, raw = RobotIntegration.create_with_token("InDialog", actor="test")
    client_as(cc_leader).post(reverse("contactcenter:integration_revoke", args=[integration.pk]))
    assert RobotIntegration.authenticate(raw) is None


def test_it_refuses_a_duplicate_name_with_400(client_as, cc_leader):
    RobotIntegration.create_with_token("InDialog", actor="test")
    response = client_as(cc_leader).post(
        reverse("contactcenter:integration_create"), {"name": "indialog", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert RobotIntegration.objects.count() == 1


def test_it_keeps_agents_out(client_as, agent):
    response = client_as(agent).post(
        reverse("contactcenter:integration_create"), {"name": "X", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert not RobotIntegration.objects.exists()


# --- Robot tokens go through the re-authentication helper (the authority issue) ---


def test_it_makes_no_token_without_the_password(client_as, cc_leader):
    client = client_as(cc_leader)
    response = client.post(reverse("contactcenter:integration_create"), {"name": "InDialog"})
    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    assert "token" not in response.context
    wrong = client.post(
        reverse("contactcenter:integration_create"), {"name": "InDialog", "password": "nope"}
    )
    assert wrong.status_code == 400
    assert not RobotIntegration.objects.exists()


def test_it_changes_no_token_without_the_password(client_as, cc_leader):
    integration, old = RobotIntegration.create_with_token("InDialog", actor="test")
    response = client_as(cc_leader).post(
        reverse("contactcenter:integration_rotate", args=[integration.pk])
    )
    assert response.status_code == 400
    assert "token" not in response.context
    assert RobotIntegration.authenticate(old) == integration


def test_it_asks_for_the_password_on_the_integrations_page(client_as, cc_leader):
    RobotIntegration.create_with_token("InDialog", actor="test")
    page = client_as(cc_leader).get(reverse("contactcenter:integrations")).content.decode()
    assert page.count('type="password"') == 2  # the new integration and the rotate form
