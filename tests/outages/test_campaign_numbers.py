"""Issue 24, item 3: a campaign texts Danish numbers only (other countries only from
CAMPAIGN_ALLOWED_COUNTRIES), and never premium-rate, toll-free, shared-cost, short or
invalid numbers; the preview says why, in Danish."""

from __future__ import annotations

import pytest
from django.urls import reverse

from beredskab.models import OutboxMessage
from beredskab.roles import Role
from outages.services import campaigns as service
from outages.services.campaigns.numbers import NumberRefused, check_number
from tests.conftest import PASSWORD
from tests.outages.campaign_helpers import make_campaign


@pytest.fixture(autouse=True)
def danish(settings):
    """The portal is Danish by default: the refusals are read in Danish."""
    settings.LANGUAGE_CODE = "da"


@pytest.fixture
def frontdesk(make_user):
    return make_user(Role.MEDARBEJDER, Role.FRONTDESK, username="frontdesk")


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("20 12 34 56", "+4520123456"),
        ("+45 31 22 33 44", "+4531223344"),
        ("0045 40-11-22-33", "+4540112233"),
        # A landline is not refused: the Danish plan does not tell it from a mobile.
        ("70 10 20 30", "+4570102030"),
    ],
)
def test_it_accepts_danish_numbers(raw, e164):
    assert check_number(raw) == e164


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("+46 70 123 45 67", "foreign"),
        ("+44 7911 123456", "foreign"),
        ("90 12 34 56", "premium_rate"),
        ("+45 90 90 90 90", "premium_rate"),
        ("80 12 34 56", "toll_free"),
        ("1813", "short_code"),
        ("114", "short_code"),
        ("1204", "short_code"),
        ("12 34 56 78", "short_code"),
        ("12", "invalid_number"),
        ("nej", "invalid_number"),
    ],
)
def test_it_refuses_foreign_premium_toll_free_short_and_invalid_numbers(raw, reason):
    with pytest.raises(NumberRefused) as refused:
        check_number(raw)
    assert refused.value.reason == reason


def test_it_allows_a_country_only_from_the_setting(settings):
    settings.CAMPAIGN_ALLOWED_COUNTRIES = ["SE"]
    assert check_number("+46 70 123 45 67") == "+46701234567"
    with pytest.raises(NumberRefused) as refused:
        check_number("+47 412 34 567")
    assert refused.value.reason == "country_not_allowed"
    # Premium-rate stays refused in an allowed country.
    settings.CAMPAIGN_ALLOWED_COUNTRIES = ["US"]
    with pytest.raises(NumberRefused) as refused:
        check_number("+1 900 555 0100")
    assert refused.value.reason == "premium_rate"


def test_it_shows_why_each_number_is_refused_in_the_danish_preview(frontdesk, client_as):
    campaign = make_campaign(frontdesk)
    client = client_as(frontdesk)
    pasted = "20 12 34 56\n+46 70 123 45 67\n90 12 34 56\n80 12 34 56\n1813"
    response = client.post(
        reverse("outages:campaign_import", args=[campaign.pk]),
        {"numbers": pasted},
    )
    assert response.status_code == 302
    assert list(campaign.recipients.values_list("mobile", flat=True)) == ["+4520123456"]
    html = client.get(reverse("outages:campaign_preview", args=[campaign.pk]))
    text = html.content.decode()
    assert "et udenlandsk nummer: kampagner sender kun til danske numre" in text
    assert "et overtakseret nummer (90-nummer): afvist" in text
    assert "et frikaldsnummer (80-nummer): afvist" in text
    assert "et kortnummer" in text


def test_it_refuses_to_send_to_a_number_no_longer_allowed(
    frontdesk, client_as, settings, django_capture_on_commit_callbacks
):
    """The allowed countries narrowed after the import: nothing goes out."""
    settings.CAMPAIGN_REQUIRE_APPROVAL = False
    settings.CAMPAIGN_ALLOWED_COUNTRIES = ["SE"]
    campaign = make_campaign(frontdesk)
    client = client_as(frontdesk)
    client.post(
        reverse("outages:campaign_import", args=[campaign.pk]),
        {"numbers": "+46 70 123 45 67\n20 12 34 56"},
    )
    assert campaign.recipients.count() == 2
    message = service.compose(campaign, template="Aflyst {tider}", actor=frontdesk)
    settings.CAMPAIGN_ALLOWED_COUNTRIES = []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("outages:campaign_confirm", args=[campaign.pk]),
            {"message": message.pk, "password": PASSWORD},
        )
    assert response.status_code == 400
    assert "Afvist: 1 nummer må ikke længere modtage SMS" in response.content.decode()
    assert not OutboxMessage.objects.for_group(campaign.group_key).exists()
    message.refresh_from_db()
    assert message.confirmed_at is None
