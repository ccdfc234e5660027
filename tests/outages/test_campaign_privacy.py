"""Issue 24, item 12 (campaigns): citizens' names and numbers are seen only by the
campaign's sender, its approver and the admins; others with the campaign rights see
the counts (outages.access.may_see_citizens, the one place that decides)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from beredskab.notify.sms import LocmemBackend, SmsError
from beredskab.roles import Role
from outages import access
from outages.services import campaigns as service
from tests.outages.campaign_helpers import export, make_campaign, post_file


@pytest.fixture
def frontdesk(make_user):
    return make_user(Role.MEDARBEJDER, Role.FRONTDESK, username="frontdesk")


@pytest.fixture
def colleague(make_user):
    return make_user(Role.MEDARBEJDER, Role.FRONTDESK, username="colleague")


@pytest.fixture
def bystander(make_user):
    """Frontdesk too, but had nothing to do with this campaign."""
    return make_user(Role.MEDARBEJDER, Role.FRONTDESK, username="bystander")


@pytest.fixture
def approved(frontdesk, colleague, client_as, settings, django_capture_on_commit_callbacks):
    """Sent after the colleague's approval; one SMS failed at the provider."""
    settings.CAMPAIGN_REQUIRE_APPROVAL = True
    campaign = make_campaign(frontdesk)
    post_file(client_as(frontdesk), campaign, export())
    message = service.compose(campaign, template="Aflyst {tider}", actor=frontdesk)
    service.confirm(campaign, message.pk, actor=frontdesk)
    LocmemBackend.fail_next.append(SmsError("not a mobile", code="21614", permanent=True))
    with django_capture_on_commit_callbacks(execute=True):
        service.approve(campaign, message.pk, actor=colleague)
    campaign.refresh_from_db()
    return campaign


def page(client, campaign) -> str:
    return client.get(reverse("outages:campaign", args=[campaign.pk])).content.decode()


def test_it_shows_who_failed_only_to_the_sender_the_approver_and_admins(
    approved, frontdesk, colleague, bystander, make_user, client_as
):
    failed = service.failed_recipients(approved.messages.get())
    assert len(failed) == 1
    number = failed[0].mobile
    admin = make_user(Role.ADMIN, username="admin")
    for user in (frontdesk, colleague, admin):
        assert access.may_see_citizens(user, approved)
        assert number in page(client_as(user), approved)
    assert not access.may_see_citizens(bystander, approved)
    html = page(client_as(bystander), approved)
    assert number not in html
    assert failed[0].name not in html
    assert 'data-count="failed">1<' in html  # the counts stay
    assert "Only the campaign's sender, its approver and the administrators" in html


def test_it_hides_the_citizens_from_a_colleague_while_writing(frontdesk, bystander, client_as):
    campaign = make_campaign(frontdesk)
    post_file(client_as(frontdesk), campaign, export())
    url = reverse("outages:campaign_compose", args=[campaign.pk])
    assert "+4520123456" in client_as(frontdesk).get(url).content.decode()
    html = client_as(bystander).get(url).content.decode()
    assert "28.11. kl. 10.30 og 28.11. kl. 14.00" in html
    assert "+4520123456" not in html and "Søren" not in html
