"""Issue 24, item 3: a second person's approval is on by default, can be turned off only
by the setting (and `check --deploy` warns then), waiting campaigns are listed for the
"Afventer godkendelse" page, and the approver reads every distinct text with its count."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.checks import run_checks
from django.urls import reverse

from beredskab import pending
from beredskab.models import OutboxMessage
from beredskab.roles import Role
from outages.models import CampaignRecipient, CampaignStatus
from outages.services import campaigns as service
from tests.conftest import PASSWORD
from tests.outages.campaign_helpers import export, make_campaign, post_file


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


@pytest.fixture
def composed(frontdesk, client_as):
    campaign = make_campaign(frontdesk)
    assert post_file(client_as(frontdesk), campaign, export()).status_code == 302
    service.compose(campaign, template="Aflyst {tider} hos {sted}", actor=frontdesk)
    return campaign


def test_it_requires_approval_unless_the_setting_turns_it_off():
    """The default of settings.py, read in a fresh process without the variable."""
    env = {k: v for k, v in os.environ.items() if k != "CAMPAIGN_REQUIRE_APPROVAL"}
    env["DJANGO_SETTINGS_MODULE"] = "beredskab.settings"
    code = "from django.conf import settings; print(settings.CAMPAIGN_REQUIRE_APPROVAL)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True"
    env["CAMPAIGN_REQUIRE_APPROVAL"] = "0"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_it_waits_for_a_second_person_by_default(composed, frontdesk, client_as):
    assert django_settings.CAMPAIGN_REQUIRE_APPROVAL is True
    response = client_as(frontdesk).post(
        reverse("outages:campaign_confirm", args=[composed.pk]),
        {"message": composed.draft_message().pk, "password": PASSWORD},
    )
    assert response.status_code == 302
    composed.refresh_from_db()
    assert composed.status == CampaignStatus.AWAITING_APPROVAL
    assert not OutboxMessage.objects.for_group(composed.group_key).exists()


def test_it_warns_at_check_deploy_when_approval_is_off(settings):
    def ids():
        return {m.id for m in run_checks(include_deployment_checks=True, tags=["security"])}

    settings.CAMPAIGN_REQUIRE_APPROVAL = True
    assert "outages.W001" not in ids()
    settings.CAMPAIGN_REQUIRE_APPROVAL = False
    assert "outages.W001" in ids()


def test_it_lists_a_waiting_campaign_for_those_who_may_approve_it(
    composed, frontdesk, colleague, employee, make_user
):
    service.confirm(composed, composed.draft_message().pk, actor=frontdesk)
    items = pending.pending_for(colleague)
    assert [i.url for i in items] == [reverse("outages:campaign_approve", args=[composed.pk])]
    assert items[0].requested_by == "Frontdesk"
    assert "3 SMS" in items[0].title
    assert pending.pending_for(frontdesk) == []  # nobody approves their own
    assert pending.pending_for(employee) == []  # no approve_mass_sms
    admin = make_user(Role.ADMIN, username="admin")
    assert len(pending.pending_for(admin)) == 1


def test_it_shows_the_approver_every_distinct_text_with_its_count(
    composed, frontdesk, colleague, client_as
):
    # Four more citizens, three more texts: three samples would hide most of them.
    for n, place in enumerate(["Bibliotek", "Bibliotek", "Jobcenter", "Skattecenter"]):
        CampaignRecipient.objects.create(
            campaign=composed,
            mobile=f"+45401000{n:02d}",
            bookings=[{"time": "2026-11-28T12:00:00+01:00", "service": "", "location": place}],
            rows=[20 + n],
        )
    service.confirm(composed, composed.draft_message().pk, actor=frontdesk)
    page = client_as(colleague).get(
        reverse("outages:campaign_approve", args=[composed.pk]),
    )
    html = page.content.decode()
    texts = service.distinct_texts(composed, composed.messages.get().template)
    assert len(texts) == 6  # three from the export, three from the rows above
    assert sum(n for _text, n in texts) == composed.recipients.count() == 7
    for text, _n in texts:
        assert text in html
    assert "Aflyst 28.11. kl. 12.00 hos Bibliotek" in html
    assert "Aflyst 28.11. kl. 12.00 hos Skattecenter" in html
    assert "2 borgere" in html  # the two at the library get the same text
    assert "+4520123456" not in html  # texts, not the citizens' numbers
