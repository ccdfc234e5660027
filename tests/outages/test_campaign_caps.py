"""Issue 24, item 3: a cap per campaign (CAMPAIGN_MAX_RECIPIENTS) and per sender in 24
hours (CAMPAIGN_MAX_PER_SENDER_PER_DAY), shown before confirming; over a cap the
campaign is refused with a Danish message and nothing is sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from beredskab.models import OutboxMessage
from beredskab.notify.sms import LocmemBackend, SmsError
from beredskab.roles import Role
from outages.models import CampaignMessage, CampaignStatus
from outages.services import campaigns as service
from tests.conftest import PASSWORD
from tests.outages.campaign_helpers import export, make_campaign, post_file, upload


@pytest.fixture(autouse=True)
def danish(settings):
    """The portal is Danish by default: the refusals are read in Danish."""
    settings.LANGUAGE_CODE = "da"


@pytest.fixture
def frontdesk(make_user):
    return make_user(Role.MEDARBEJDER, Role.FRONTDESK, username="frontdesk")


@pytest.fixture
def colleague(make_user):
    return make_user(Role.MEDARBEJDER, Role.FRONTDESK, username="colleague")


def ready(user, client):
    """A campaign with the standard export (3 citizens) and its message written."""
    campaign = make_campaign(user)
    assert post_file(client, campaign, export()).status_code == 302
    service.compose(campaign, template="Aflyst {tider}", actor=user)
    return campaign


def confirm(client, campaign):
    return client.post(
        reverse("outages:campaign_confirm", args=[campaign.pk]),
        {"message": campaign.draft_message().pk, "password": PASSWORD},
    )


def outbox_rows(campaign):
    return OutboxMessage.objects.for_group(campaign.group_key)


def test_it_refuses_bookings_over_the_campaign_cap_in_danish(frontdesk, client_as, settings):
    settings.CAMPAIGN_MAX_RECIPIENTS = 2
    campaign = make_campaign(frontdesk)
    response = client_as(frontdesk).post(
        reverse("outages:campaign_import", args=[campaign.pk]),
        {"file": upload(export())},
    )
    assert response.status_code == 400
    assert "Bookingerne har 3 mobilnumre; en kampagne må højst sende til 2." in (
        response.content.decode()
    )
    assert not campaign.recipients.exists()


def test_it_shows_the_caps_before_confirming(frontdesk, client_as, settings):
    settings.CAMPAIGN_MAX_RECIPIENTS = 1500
    settings.CAMPAIGN_MAX_PER_SENDER_PER_DAY = 4000
    client = client_as(frontdesk)
    campaign = ready(frontdesk, client)
    page = client.get(reverse("outages:campaign_confirm", args=[campaign.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="limit-campaign">højst 1500 SMS<' in html
    assert 'id="limit-sender">0 af højst 4000 (4000 tilbage)<' in html


def test_it_refuses_an_over_cap_campaign_at_confirmation(
    frontdesk, client_as, settings, django_capture_on_commit_callbacks
):
    settings.CAMPAIGN_REQUIRE_APPROVAL = False
    client = client_as(frontdesk)
    campaign = ready(frontdesk, client)
    settings.CAMPAIGN_MAX_RECIPIENTS = 2  # lowered after the import
    page = client.get(reverse("outages:campaign_confirm", args=[campaign.pk]))
    assert "Afvist: kampagnen ville sende 3 SMS, men højst 2" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, campaign)
    assert response.status_code == 400
    assert "Afvist: kampagnen ville sende 3 SMS, men højst 2 er tilladt pr. kampagne." in (
        response.content.decode()
    )
    assert not outbox_rows(campaign).exists()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_it_refuses_a_sender_over_the_daily_cap(
    frontdesk, client_as, settings, django_capture_on_commit_callbacks
):
    settings.CAMPAIGN_REQUIRE_APPROVAL = False
    settings.CAMPAIGN_MAX_PER_SENDER_PER_DAY = 5
    client = client_as(frontdesk)
    first = ready(frontdesk, client)
    with django_capture_on_commit_callbacks(execute=True):
        assert confirm(client, first).status_code == 302
    assert outbox_rows(first).count() == 3
    second = ready(frontdesk, client)
    response = confirm(client, second)
    assert response.status_code == 400
    assert "Afvist: 3 SMS mere ville overskride grænsen på 5 SMS pr. afsender" in (
        response.content.decode()
    )
    assert not outbox_rows(second).exists()
    # A day later the first campaign no longer counts.
    CampaignMessage.objects.filter(campaign=first).update(
        confirmed_at=first.messages.get().confirmed_at - timedelta(hours=25)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert confirm(client, second).status_code == 302
    assert outbox_rows(second).count() == 3


def test_it_counts_campaigns_awaiting_approval_against_the_sender(
    frontdesk, colleague, client_as, settings
):
    settings.CAMPAIGN_REQUIRE_APPROVAL = True
    settings.CAMPAIGN_MAX_PER_SENDER_PER_DAY = 5
    client = client_as(frontdesk)
    first = ready(frontdesk, client)
    assert confirm(client, first).status_code == 302
    first.refresh_from_db()
    assert first.status == CampaignStatus.AWAITING_APPROVAL
    second = ready(frontdesk, client)
    assert confirm(client, second).status_code == 400
    # The approver cannot push the sender over the cap either.
    settings.CAMPAIGN_MAX_PER_SENDER_PER_DAY = 2
    approve = client_as(colleague).post(
        reverse("outages:campaign_approve", args=[first.pk]),
        {"message": first.messages.get().pk, "password": PASSWORD},
    )
    assert approve.status_code == 400
    assert "Afvist: kampagnen" not in approve.content.decode()
    assert "pr. afsender" in approve.content.decode()
    assert not outbox_rows(first).exists()


def test_it_counts_sms_sent_again_toward_the_daily_cap(
    frontdesk, client_as, settings, django_capture_on_commit_callbacks
):
    settings.CAMPAIGN_REQUIRE_APPROVAL = False
    settings.CAMPAIGN_MAX_PER_SENDER_PER_DAY = 3
    client = client_as(frontdesk)
    campaign = ready(frontdesk, client)
    LocmemBackend.fail_next.append(SmsError("unreachable", code="30003", permanent=True))
    with django_capture_on_commit_callbacks(execute=True):
        assert confirm(client, campaign).status_code == 302
    message = campaign.messages.get()
    assert len(service.failed_recipients(message)) == 1
    response = client.post(
        reverse("outages:campaign_retry", args=[campaign.pk]),
        {"message": message.pk, "round": 1},
        follow=True,
    )
    assert "overskride grænsen på 3 SMS pr. afsender" in response.content.decode()
    assert outbox_rows(campaign).count() == 3
