"""Confirming and approving a mass SMS asks for the password through beredskab.reauth:
guesses are limited by the login's lock-out, and inside the window it is not asked."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from beredskab import reauth
from outages.models import CampaignStatus as S  # noqa: N817
from tests.conftest import PASSWORD
from tests.outages import test_campaigns as campaigns

# The campaign fixtures, shared with tests/outages/test_campaigns.py.
frontdesk, colleague = campaigns.frontdesk, campaigns.colleague
loaded, composed = campaigns.loaded, campaigns.composed
confirm, rows = campaigns.confirm, campaigns.rows


def test_it_stops_unlimited_password_guesses_at_confirm(composed, frontdesk, client_as):
    client = client_as(frontdesk)
    for _ in range(4):
        assert confirm(client, composed, password="wrong").status_code == 400
    # The fifth wrong one locks this login out from this address (AXES_FAILURE_LIMIT).
    assert confirm(client, composed, password="wrong").status_code == 429
    # The sixth try, even with the right password, is refused by the lock-out.
    response = confirm(client, composed)
    assert response.status_code == 429
    assert not rows(composed).exists()
    composed.refresh_from_db()
    assert composed.status == S.DRAFT


def test_it_does_not_ask_the_password_again_inside_the_window(
    composed, frontdesk, client_as, django_capture_on_commit_callbacks, settings
):
    settings.CAMPAIGN_REQUIRE_APPROVAL = False  # one person's flow: sent at once
    client = client_as(frontdesk)
    session = client.session
    session[reauth.SESSION_KEY] = (timezone.now() - timedelta(minutes=3)).isoformat()
    session.save()
    page = client.get(reverse("outages:campaign_confirm", args=[composed.pk]))
    assert 'name="password"' not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("outages:campaign_confirm", args=[composed.pk]),
            {"message": composed.draft_message().pk},
        )
    assert response.status_code == 302
    assert rows(composed).count() == 3


def test_it_asks_again_after_the_window(composed, frontdesk, client_as):
    client = client_as(frontdesk)
    session = client.session
    session[reauth.SESSION_KEY] = (timezone.now() - timedelta(minutes=11)).isoformat()
    session.save()
    response = client.post(
        reverse("outages:campaign_confirm", args=[composed.pk]),
        {"message": composed.draft_message().pk},
    )
    assert response.status_code == 400
    assert not rows(composed).exists()


def test_it_stops_unlimited_password_guesses_at_approval(
    composed, frontdesk, colleague, client_as, settings
):
    settings.CAMPAIGN_REQUIRE_APPROVAL = True
    assert confirm(client_as(frontdesk), composed, password=PASSWORD).status_code == 302
    message = composed.messages.get()
    other = client_as(colleague)
    url = reverse("outages:campaign_approve", args=[composed.pk])
    for expected in (400, 400, 400, 400, 429):
        assert other.post(url, {"message": message.pk, "password": "x"}).status_code == expected
    assert other.post(url, {"message": message.pk, "password": PASSWORD}).status_code == 429
    assert not rows(composed).exists()
