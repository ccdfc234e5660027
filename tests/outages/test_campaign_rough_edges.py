"""The booking campaign's rough edges (issue 21): an empty "how to book again" with
{genbook}; the help text pointing at the right field; whose booking a rejected row was
(and that the purge forgets it); "Sending" while SMS wait; no stop button once all is
with the provider; plural forms for counts."""

from __future__ import annotations

import pytest
from django.utils import translation

from beredskab import timeline
from beredskab.models import TimelineEvent
from outages.forms.campaign import ComposeForm
from outages.services.campaign_import import REJECTED_WHO
from outages.services.campaigns.compose import PLACEHOLDERS
from outages.services.campaigns.progress import Progress
from outages.services.campaigns.retention import purge
from outages.views.campaigns import _sending_state
from tests.outages.campaign_helpers import export, make_campaign, post_file

pytestmark = pytest.mark.django_db


def test_an_empty_rebook_is_refused_when_the_message_uses_genbook():
    form = ComposeForm({"template": "Ny tid: {genbook}.", "rebook": "  "})
    assert not form.is_valid()
    assert "rebook" in form.errors
    assert ComposeForm({"template": "Ny tid: {genbook}.", "rebook": "ring 70 10 20 30"}).is_valid()
    assert ComposeForm({"template": "Vi ringer til dig.", "rebook": ""}).is_valid()


def test_the_genbook_help_names_the_field_not_a_direction():
    with translation.override("da"):
        text = str(PLACEHOLDERS["genbook"])
    assert "nedenfor" not in text
    assert "Sådan booker man igen" in text


def test_whose_booking_a_rejected_row_was_is_kept_until_the_purge(frontdesk, client_as):
    campaign = make_campaign(frontdesk)
    post_file(client_as(frontdesk), campaign, export())
    campaign.refresh_from_db()
    who = campaign.import_summary[REJECTED_WHO]
    assert who["6"] == "Ingen Nummer 28-11-2026 12:00"
    # The retention purge forgets it with the rest of the citizens' data.
    assert purge(campaign)
    campaign.refresh_from_db()
    assert REJECTED_WHO not in campaign.import_summary
    assert campaign.import_summary["rejected_count"] == 6  # the counts are kept


def _rows(*progresses):
    return [{"progress": p} for p in progresses]


def test_the_page_says_sending_while_sms_wait_and_offers_stop_only_then(frontdesk):
    campaign = make_campaign(frontdesk)
    campaign.status = "sending"
    with translation.override("da"):
        waiting = _sending_state(campaign, _rows(Progress(total=3, waiting=3)))
        handed_over = _sending_state(campaign, _rows(Progress(total=3, delivered=3)))
    assert waiting == {"status_text": "Sender", "may_stop": True}
    assert handed_over == {"status_text": "Sendt", "may_stop": False}


@pytest.mark.parametrize(
    "rejected, segments, expected_rows, expected_segments",
    [(1, 1, "1 række afvist", "1 SMS-del)"), (2, 3, "2 rækker afvist", "3 SMS-dele)")],
)
def test_counts_use_plural_forms(frontdesk, rejected, segments, expected_rows, expected_segments):
    campaign = make_campaign(frontdesk)
    imported = timeline.record(
        campaign,
        "campaign.imported",
        data={"bookings": 1, "unique_mobiles": 1, "rejected": rejected},
    )
    composed = timeline.record(campaign, "campaign.composed", data={"segments": segments})
    with translation.override("da"):
        assert expected_rows in timeline.describe(TimelineEvent.objects.get(pk=imported.pk))
        assert "1 booking," in timeline.describe(imported)
        assert "1 forskelligt mobilnummer" in timeline.describe(imported)
        assert timeline.describe(composed).endswith(expected_segments)


@pytest.fixture
def frontdesk(make_user):
    from beredskab.roles import Role

    return make_user(Role.MEDARBEJDER, Role.FRONTDESK, username="frontdesk")
