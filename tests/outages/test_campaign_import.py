"""Loading the bookings: the export (encodings, separators, mapping), pasted numbers,
the preview's counts and rejected rows, and bad input that stores nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from beredskab.roles import Role
from outages.models import CampaignRecipient, CampaignUpload, ColumnMapping
from outages.models.system_outage import COPENHAGEN
from outages.services import campaign_import as importer
from tests.outages.campaign_helpers import HEADER, ROWS, export, make_campaign, post_file


@pytest.fixture
def frontdesk(make_user):
    return make_user(Role.MEDARBEJDER, Role.FRONTDESK, username="frontdesk")


@pytest.fixture
def campaign(frontdesk):
    return make_campaign(frontdesk)


def _reasons(campaign) -> dict[int, str]:
    campaign.refresh_from_db()
    return {row: reason for row, reason in campaign.import_summary["rejected"]}


# --- The parts ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28-11-2026 10:30", datetime(2026, 11, 28, 10, 30, tzinfo=COPENHAGEN)),
        ("28.11.2026 10.30", datetime(2026, 11, 28, 10, 30, tzinfo=COPENHAGEN)),
        ("28/11/26 kl. 10:30", datetime(2026, 11, 28, 10, 30, tzinfo=COPENHAGEN)),
        ("2026-11-28T10:30", datetime(2026, 11, 28, 10, 30, tzinfo=COPENHAGEN)),
        ("2026-11-28 10:30:00", datetime(2026, 11, 28, 10, 30, tzinfo=COPENHAGEN)),
        ("28-11-2026", date(2026, 11, 28)),
    ],
)
def test_it_reads_common_danish_times(text, expected):
    assert importer.parse_time(text) == expected


@pytest.mark.parametrize("text", ["i morgen", "31-02-2026 10:00", "28-11-2026 25:00", ""])
def test_it_gives_up_on_times_it_cannot_read(text):
    assert importer.parse_time(text) is None


def test_it_maps_danish_titles_without_asking(db):
    mapping = importer.known_mapping(["Navn", "Telefon", "Tid", "Ydelse", "Lokation"])
    assert mapping == {
        "name": "Navn",
        "mobile": "Telefon",
        "time": "Tid",
        "service": "Ydelse",
        "location": "Lokation",
    }


# --- The upload and the preview ---


def test_it_previews_a_windows_1252_export_with_the_rejected_rows(campaign, frontdesk, client_as):
    client = client_as(frontdesk)
    response = post_file(client, campaign, export(encoding="cp1252"))
    assert response.status_code == 302
    assert response["Location"] == reverse("outages:campaign_preview", args=[campaign.pk])
    campaign.refresh_from_db()
    summary = campaign.import_summary
    assert (summary["rows"], summary["bookings"], summary["unique_mobiles"]) == (10, 4, 3)
    assert _reasons(campaign) == {
        6: "no_number",
        7: "invalid_number",
        8: "outside_period",
        9: "duplicate",
        10: "foreign",
        11: "premium_rate",
    }
    soren = CampaignRecipient.objects.get(campaign=campaign, mobile="+4520123456")
    assert soren.name == "Søren Ærø"  # Windows-1252 read correctly
    assert len(soren.bookings) == 2  # one SMS with both times
    assert set(CampaignRecipient.objects.values_list("mobile", flat=True)) == {
        "+4520123456",
        "+4531223344",
        "+4540112233",
    }
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["Cache-Control"].count("no-store") == 1
    html = page.content.decode()
    assert 'id="count-mobiles">3<' in html
    assert "outside the period" in html
    # A rejected row says whose booking it was, so frontdesk can call them (issue 21).
    assert "Ingen Nummer 28-11-2026 12:00" in html
    assert "For Sent 29-11-2026 10:00" in html


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_it_reads_utf8_with_and_without_a_byte_order_mark(campaign, frontdesk, client_as, encoding):
    response = post_file(client_as(frontdesk), campaign, export(encoding=encoding))
    assert response.status_code == 302
    assert CampaignRecipient.objects.filter(campaign=campaign, name="Åse Øberg").exists()


def test_it_reads_a_comma_separated_export(campaign, frontdesk, client_as):
    rows = [r.replace(";", ",") for r in ROWS[:3]]
    data = export(rows=rows, header=HEADER.replace(";", ","), encoding="utf-8")
    assert post_file(client_as(frontdesk), campaign, data).status_code == 302
    assert campaign.recipients.count() == 2


def test_it_replaces_an_earlier_import(campaign, frontdesk, client_as):
    client = client_as(frontdesk)
    post_file(client, campaign, export())
    post_file(client, campaign, export(rows=ROWS[3:4]))
    assert list(campaign.recipients.values_list("mobile", flat=True)) == ["+4540112233"]


def test_it_asks_for_the_columns_once_and_remembers_them(campaign, frontdesk, client_as):
    client = client_as(frontdesk)
    data = export(header="Borger;Nummer;Hvornår;Hvad;Hvor", encoding="utf-8")
    response = post_file(client, campaign, data)
    mapping_url = reverse("outages:campaign_mapping", args=[campaign.pk])
    assert response["Location"] == mapping_url
    assert not campaign.recipients.exists()
    page = client.get(mapping_url)
    assert page.status_code == 200
    assert "Nummer" in page.content.decode()
    response = client.post(
        mapping_url, {"name": "Borger", "mobile": "Nummer", "time": "Hvornår", "location": "Hvor"}
    )
    assert response.status_code == 302
    assert campaign.recipients.count() == 3
    assert ColumnMapping.objects.count() == 1
    # The next file with the same columns goes straight to the preview.
    other = make_campaign(frontdesk)
    response = post_file(client, other, data)
    assert response["Location"] == reverse("outages:campaign_preview", args=[other.pk])
    assert other.recipients.count() == 3


def test_it_refuses_a_mapping_without_the_mobile(campaign, frontdesk, client_as):
    client = client_as(frontdesk)
    post_file(client, campaign, export(header="Borger;Nummer;Hvornår;Hvad;Hvor"))
    response = client.post(
        reverse("outages:campaign_mapping", args=[campaign.pk]), {"name": "Borger", "mobile": ""}
    )
    assert response.status_code == 400
    assert "Choose the column that holds the mobile number." in response.content.decode()
    assert not campaign.recipients.exists()
    assert not ColumnMapping.objects.exists()


def test_it_accepts_pasted_numbers(campaign, frontdesk, client_as):
    response = client_as(frontdesk).post(
        reverse("outages:campaign_import", args=[campaign.pk]),
        {"numbers": "20 12 34 56\n+45 20123456\n\nnej\n+46 70 123 45 67\n40 11 22 33"},
    )
    assert response.status_code == 302
    assert campaign.recipients.count() == 2
    assert _reasons(campaign) == {2: "duplicate", 4: "invalid_number", 5: "foreign"}


# --- Bad input: a clear error at the field, 400, nothing stored ---


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes"),
        (b"Navn;Mobil\r\n", "no rows below it"),
        (b"\x81\x8d\x8f\x90\x9d", "could not be read"),
    ],
)
def test_it_refuses_bad_files_and_stores_nothing(campaign, frontdesk, client_as, data, message):
    response = post_file(client_as(frontdesk), campaign, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CampaignRecipient.objects.exists()
    assert not CampaignUpload.objects.exists()


def test_it_refuses_an_oversize_file(campaign, frontdesk, client_as):
    big = HEADER.encode() + b"\r\n" + b"x;20123456;;;\r\n" * 400_000
    assert len(big) > importer_max_bytes()
    response = post_file(client_as(frontdesk), campaign, big)
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not CampaignUpload.objects.exists()
    assert not CampaignRecipient.objects.exists()


def importer_max_bytes() -> int:
    from beredskab.importer import MAX_BYTES

    return MAX_BYTES


def test_it_lets_no_employee_load_bookings(campaign, employee, client_as):
    response = post_file(client_as(employee), campaign, export())
    assert response.status_code == 403
    assert not CampaignRecipient.objects.exists()


@pytest.mark.django_db
@hsettings(
    deadline=None,
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.lists(
            st.lists(
                st.one_of(
                    st.text(max_size=12),
                    st.sampled_from(["20123456", "+4531223344", "28-11-2026 10:30", "Mobil"]),
                ),
                min_size=1,
                max_size=5,
            ),
            max_size=8,
        ).map(
            lambda rows: "\n".join([HEADER] + [";".join(r) for r in rows]).encode(
                "utf-8", "surrogatepass"
            )
        ),
    )
)
def test_it_never_fails_on_random_input_and_stores_all_or_nothing(
    data, campaign, frontdesk, client_as
):
    CampaignRecipient.objects.filter(campaign=campaign).delete()
    CampaignUpload.objects.filter(campaign=campaign).delete()
    campaign.import_summary = {}
    campaign.save(update_fields=["import_summary"])
    response = post_file(client_as(frontdesk), campaign, data)
    assert response.status_code in (302, 400)
    stored = CampaignRecipient.objects.filter(campaign=campaign).count()
    campaign.refresh_from_db()
    if response.status_code == 400:
        assert stored == 0
        assert not CampaignUpload.objects.filter(campaign=campaign).exists()
        assert campaign.import_summary == {}
    elif campaign.import_summary:
        # A complete import: every unique mobile of the preview is stored.
        assert stored == campaign.import_summary["unique_mobiles"]
        assert (
            campaign.import_summary["bookings"] + campaign.import_summary["rejected_count"]
            == (campaign.import_summary["rows"])
        )
    else:
        # The columns must be mapped first: the file is kept, no recipient is.
        assert stored == 0
        assert CampaignUpload.objects.filter(campaign=campaign).exists()
