"""Issue 24, item 4: values from the booking file (time, place, service) that go into
the citizens' SMS are checked like the template: a web address, a phone number or an
over-long value is flagged per row in the preview, in Danish, and blocks sending until
the row is excluded or the sender confirms that value."""

from __future__ import annotations

import pytest
from django.urls import reverse

from beredskab import timeline
from beredskab.models import OutboxMessage
from beredskab.notify.sms import LocmemBackend
from beredskab.roles import Role
from outages.models import CampaignFlag, CampaignStatus
from outages.services import campaigns as service
from outages.services.campaigns.content import value_flags
from tests.conftest import PASSWORD
from tests.outages.campaign_helpers import export, make_campaign, post_file

LONG = "Rådhuset, " + "lokale " * 10  # 80 characters: more than a place's name
ROWS = [
    "Anna;20 12 34 56;28-11-2026 10:30;Pas;Borgerservice – se www.falsk-kommune.dk",  # 2
    "Bo;31 22 33 44;28-11-2026 11:00;Ring 90 90 90 90 for ny tid;Borgerservice",  # 3
    f"Carl;40 11 22 33;28-11-2026 12:00;Pas;{LONG}",  # 4
    "Dorte;40 11 22 44;28-11-2026 13:00;Pas;Borgerservice",  # 5: clean
    "Anna;20 12 34 56;28-11-2026 14:00;Kørekort;Borgerservice",  # 6: Anna's clean booking
]


@pytest.fixture(autouse=True)
def danish(settings):
    """The portal is Danish by default: the flags are read in Danish."""
    settings.LANGUAGE_CODE = "da"
    settings.CAMPAIGN_REQUIRE_APPROVAL = False


@pytest.fixture
def frontdesk(make_user):
    return make_user(Role.MEDARBEJDER, Role.FRONTDESK, username="frontdesk")


@pytest.fixture
def smuggled(frontdesk, client_as):
    campaign = make_campaign(frontdesk)
    assert (
        post_file(client_as(frontdesk), campaign, export(rows=ROWS, encoding="utf-8")).status_code
        == 302
    )
    service.compose(campaign, template="Aflyst {tider} ({ydelse}) hos {sted}", actor=frontdesk)
    return campaign


def confirm(client, campaign):
    return client.post(
        reverse("outages:campaign_confirm", args=[campaign.pk]),
        {"message": campaign.draft_message().pk, "password": PASSWORD},
    )


@pytest.mark.parametrize(
    ("value", "reasons"),
    [
        ("Borgerservice", []),
        ("Rådhuset, 2. sal, lokale 204", []),
        ("se www.falsk-kommune.dk", ["web_address"]),
        ("https://example.invalid/x", ["web_address"]),
        ("bit.ly/aflyst", ["web_address"]),
        ("Ring 90 90 90 90", ["phone_number"]),
        ("sms til +4520123456", ["phone_number"]),
        ("28-11-2026 kl 10", []),  # a date is not a phone number
        (LONG, ["too_long"]),
    ],
)
def test_it_checks_an_imported_value_like_the_template(value, reasons):
    assert value_flags(value) == reasons


def test_it_flags_each_row_in_the_danish_preview_and_refuses_to_send(
    smuggled, frontdesk, client_as, django_capture_on_commit_callbacks
):
    client = client_as(frontdesk)
    flags = {(f.row, f.field): f.reasons for f in CampaignFlag.objects.filter(campaign=smuggled)}
    assert flags == {
        (2, "location"): ["web_address"],
        (3, "service"): ["phone_number"],
        (4, "location"): ["too_long"],
    }
    html = client.get(reverse("outages:campaign_preview", args=[smuggled.pk])).content.decode()
    assert "Importerede værdier, der skal tjekkes" in html
    assert "indeholder en webadresse" in html
    assert "indeholder et telefonnummer" in html
    assert "er længere end 60 tegn" in html
    page = client.get(reverse("outages:campaign_confirm", args=[smuggled.pk])).content.decode()
    assert "3 importerede værdier er markeret og endnu ikke tjekket." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, smuggled)
    assert response.status_code == 400
    assert "Afvist: importerede værdier er markeret og endnu ikke tjekket." in (
        response.content.decode()
    )
    assert not OutboxMessage.objects.for_group(smuggled.group_key).exists()
    smuggled.refresh_from_db()
    assert smuggled.status == CampaignStatus.DRAFT


def test_it_sends_once_each_flag_is_confirmed_or_its_row_excluded(
    smuggled, frontdesk, client_as, django_capture_on_commit_callbacks
):
    client = client_as(frontdesk)
    flag = {f.row: f.pk for f in CampaignFlag.objects.filter(campaign=smuggled)}
    url = reverse("outages:campaign_flags", args=[smuggled.pk])
    # Deciding only one leaves the campaign blocked.
    assert client.post(url, {f"flag-{flag[4]}": "confirmed"}).status_code == 302
    assert confirm(client, smuggled).status_code == 400
    response = client.post(url, {f"flag-{flag[2]}": "excluded", f"flag-{flag[3]}": "excluded"})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert confirm(client, smuggled).status_code == 302
    bodies = {m["to"]: m["body"] for m in LocmemBackend.sent}
    assert set(bodies) == {"+4520123456", "+4540112233", "+4540112244"}  # Bo had one row
    assert all("falsk-kommune" not in b and "90 90 90 90" not in b for b in bodies.values())
    assert bodies["+4520123456"] == "Aflyst 28.11. kl. 14.00 (Kørekort) hos Borgerservice"
    assert LONG.strip() in bodies["+4540112233"]  # confirmed: it goes as it is
    event = next(e for e in timeline.events_for(smuggled) if e.kind == "campaign.flags_decided")
    assert "falsk" not in str(event.data) and "90 90" not in str(event.data)


def test_it_flags_a_time_that_could_not_be_read(frontdesk, client_as):
    campaign = make_campaign(frontdesk)
    rows = ["Eva;20 12 34 56;i dag - se bit.ly/ny-tid;Pas;Borgerservice"]
    post_file(client_as(frontdesk), campaign, export(rows=rows, encoding="utf-8"))
    flag = CampaignFlag.objects.get(campaign=campaign)
    assert (flag.row, flag.field, flag.reasons) == (2, "time", ["web_address"])


def test_it_rejects_an_unknown_decision_with_a_400(smuggled, frontdesk, client_as):
    flag = CampaignFlag.objects.filter(campaign=smuggled).first()
    response = client_as(frontdesk).post(
        reverse("outages:campaign_flags", args=[smuggled.pk]), {f"flag-{flag.pk}": "send"}
    )
    assert response.status_code == 400
    assert "Vælg en af beslutningerne." in response.content.decode()
    flag.refresh_from_db()
    assert flag.decision == ""
