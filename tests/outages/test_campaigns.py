"""Booking cancellation by mass SMS, through the views: start, write, confirm with the
password, send once, watch, retry, follow up, cancel, approve, exercise, retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beredskab import timeline
from beredskab.models import OutboxMessage
from beredskab.models.outbox import Priority, Status
from beredskab.notify import callbacks
from beredskab.notify.sms import LocmemBackend, SmsError
from beredskab.roles import Role
from outages.models import (
    CAMPAIGN_TRANSITIONS,
    Campaign,
    CampaignError,
    CampaignRecipient,
    CampaignStatus,
    ExerciseNumber,
    PowerOutage,
)
from outages.services import campaigns as service
from outages.tasks import purge_campaigns
from tests.conftest import PASSWORD
from tests.outages.campaign_helpers import export, make_campaign, post_file

S = CampaignStatus


@pytest.fixture(autouse=True)
def one_person(settings):
    """These tests follow one person's flow; the second person's approval (on by
    default) has its own tests, which turn it back on."""
    settings.CAMPAIGN_REQUIRE_APPROVAL = False


@pytest.fixture
def frontdesk(make_user):
    return make_user(Role.MEDARBEJDER, Role.FRONTDESK, username="frontdesk")


@pytest.fixture
def colleague(make_user):
    return make_user(Role.MEDARBEJDER, Role.FRONTDESK, username="colleague")


@pytest.fixture
def loaded(frontdesk, client_as):
    """A campaign with the standard export loaded: 3 unique mobiles, 4 bookings."""
    campaign = make_campaign(frontdesk)
    assert post_file(client_as(frontdesk), campaign, export()).status_code == 302
    return campaign


@pytest.fixture
def composed(loaded, frontdesk, client_as):
    response = client_as(frontdesk).post(
        reverse("outages:campaign_compose", args=[loaded.pk]),
        {"template": service.DEFAULT_TEMPLATE, "rebook": "ring 70 10 20 30", "action": "save"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("outages:campaign_confirm", args=[loaded.pk])
    return loaded


def confirm(client, campaign, password=PASSWORD, message=None):
    message = message or campaign.draft_message()
    return client.post(
        reverse("outages:campaign_confirm", args=[campaign.pk]),
        {"message": message.pk, "password": password},
    )


@pytest.fixture
def sent(composed, frontdesk, client_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client_as(frontdesk), composed)
    assert response.status_code == 302
    composed.refresh_from_db()
    return composed


def rows(campaign):
    return OutboxMessage.objects.for_group(campaign.group_key)


# --- Start ---


def test_it_starts_a_campaign_linked_to_the_running_power_outage(frontdesk, client_as):
    outage = PowerOutage.objects.create(
        title="Rådhuset", meeting_point="P", declared_at=timezone.now()
    )
    client = client_as(frontdesk)
    page = client.get(reverse("outages:campaign_new") + f"?power={outage.pk}")
    assert f'value="power:{outage.pk}" selected' in page.content.decode()
    response = client.post(
        reverse("outages:campaign_new"),
        {
            "period_start": "2026-11-28T08:00",
            "period_end": "2026-11-28T16:00",
            "place": "Borgerservice",
            "reason": "Strømsvigt",
            "outage": f"power:{outage.pk}",
            "nonce": "n1",
        },
    )
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("outages:campaign_import", args=[campaign.pk])
    assert campaign.power_outage == outage
    assert campaign.status == S.DRAFT
    assert [e.kind for e in timeline.events_for(campaign)] == ["campaign.created"]
    # A double click with the same form creates nothing more.
    client.post(reverse("outages:campaign_new"), {**client_post_data(outage), "nonce": "n1"})
    assert Campaign.objects.count() == 1


def client_post_data(outage) -> dict:
    return {
        "period_start": "2026-11-28T08:00",
        "period_end": "2026-11-28T16:00",
        "place": "Borgerservice",
        "reason": "Strømsvigt",
        "outage": f"power:{outage.pk}",
    }


def test_it_refuses_a_period_that_ends_before_it_starts(frontdesk, client_as):
    response = client_as(frontdesk).post(
        reverse("outages:campaign_new"),
        {
            "period_start": "2026-11-28T16:00",
            "period_end": "2026-11-28T08:00",
            "place": "Borgerservice",
            "reason": "x",
        },
    )
    assert response.status_code == 400
    assert "The period must end after it starts." in response.content.decode()
    assert not Campaign.objects.exists()


def test_it_lets_no_employee_in(employee, client_as, frontdesk):
    campaign = make_campaign(frontdesk)
    client = client_as(employee)
    assert client.get(reverse("outages:campaigns")).status_code == 403
    assert client.get(reverse("outages:campaign", args=[campaign.pk])).status_code == 403
    assert client.get(reverse("outages:campaign_new")).status_code == 403


def test_it_answers_404_for_a_campaign_that_does_not_exist(frontdesk, client_as):
    response = client_as(frontdesk).get(reverse("outages:campaign", args=[999_999]))
    assert response.status_code == 404


# --- Compose ---


def test_it_counts_characters_and_segments_and_warns_of_web_addresses(loaded, frontdesk, client_as):
    client = client_as(frontdesk)
    page = client.get(reverse("outages:campaign_compose", args=[loaded.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"].count("no-store") == 1
    assert 'hx-history="false"' in html
    assert "{tider}" in html and "{genbook}" in html  # the placeholders are documented
    # The first messages exactly as sent: Søren's two times in one SMS.
    assert "28.11. kl. 10.30 og 28.11. kl. 14.00" in html
    response = client.post(
        reverse("outages:campaign_count", args=[loaded.pk]),
        {"template": "Se www.kommune.dk {tider}", "rebook": ""},
        headers={"HX-Request": "true"},
    )
    fragment = response.content.decode()
    assert response.status_code == 200
    assert fragment.lstrip().startswith('<section id="count"')
    assert "web address" in fragment
    assert "GSM-7" in fragment
    response = client.post(
        reverse("outages:campaign_count", args=[loaded.pk]), {"template": "Aflyst “i dag”"}
    )
    assert "UCS-2" in response.content.decode()


def test_it_refuses_an_unknown_placeholder(loaded, frontdesk, client_as):
    response = client_as(frontdesk).post(
        reverse("outages:campaign_compose", args=[loaded.pk]),
        {"template": "Hej {navn}", "action": "save"},
    )
    assert response.status_code == 400
    assert "Unknown placeholder: {navn}" in response.content.decode()
    assert not loaded.messages.exists()


def test_it_renders_the_message_per_citizen(loaded):
    soren = CampaignRecipient.objects.get(campaign=loaded, mobile="+4520123456")
    loaded.rebook = "ring 70 10 20 30"
    text = service.render("Din tid {tider} hos {sted} er aflyst. {genbook}", loaded, soren.bookings)
    assert text == (
        "Din tid 28.11. kl. 10.30 og 28.11. kl. 14.00 hos Borgerservice er aflyst. ring 70 10 20 30"
    )


# --- Confirm and send ---


def test_it_shows_the_count_on_the_button_and_needs_the_password(composed, frontdesk, client_as):
    client = client_as(frontdesk)
    page = client.get(reverse("outages:campaign_confirm", args=[composed.pk]))
    assert page.status_code == 200
    assert "Send 3 SMS" in page.content.decode()
    response = confirm(client, composed, password="wrong")
    assert response.status_code == 400
    assert "The password is not right." in response.content.decode()
    assert not rows(composed).exists()
    composed.refresh_from_db()
    assert composed.status == S.DRAFT


def test_it_sends_one_sms_per_citizen_through_the_outbox(sent):
    assert sent.status == S.SENDING
    assert rows(sent).count() == 3
    assert set(rows(sent).values_list("priority", flat=True)) == {Priority.BULK}
    assert len(LocmemBackend.sent) == 3
    soren = next(m for m in LocmemBackend.sent if m["to"] == "+4520123456")
    assert "28.11. kl. 10.30 og 28.11. kl. 14.00" in soren["body"]
    assert "ring 70 10 20 30" in soren["body"]
    assert not soren["body"].startswith("ØVELSE")


def test_it_never_sends_twice_from_a_second_tab(sent, frontdesk, client_as):
    message = sent.messages.get()
    response = confirm(client_as(frontdesk), sent, message=message)
    assert response.status_code == 302
    assert response["Location"] == reverse("outages:campaign", args=[sent.pk])
    assert rows(sent).count() == 3
    assert len(LocmemBackend.sent) == 3
    with pytest.raises(service.AlreadyDone):
        service.confirm(sent, message.pk, actor=frontdesk)


def test_it_keeps_citizens_out_of_the_timeline(sent):
    text = " ".join(str(e.data) + timeline.describe(e) for e in timeline.events_for(sent))
    for secret in ("Søren", "Åse", "20123456", "31223344", "40112233"):
        assert secret not in text
    kinds = [e.kind for e in timeline.events_for(sent)]
    for kind in ("campaign.imported", "campaign.composed", "campaign.confirmed"):
        assert kind in kinds
    assert kinds[-1] == "campaign.sending"


# --- Watch ---


def test_it_shows_the_counts_live_and_uncached(sent, frontdesk, client_as):
    client = client_as(frontdesk)
    page = client.get(reverse("outages:campaign", args=[sent.pk]))
    html = page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert 'hx-history="false"' in html
    assert 'data-count="sent">3<' in html
    provider_id = rows(sent).first().provider_id
    callbacks.apply_provider_status(provider_id, "delivered")
    fragment = client.get(
        reverse("outages:campaign", args=[sent.pk]), headers={"HX-Request": "true"}
    )
    body = fragment.content.decode()
    assert body.lstrip().startswith('<div id="progress"')
    assert 'data-count="delivered">1<' in body
    assert 'data-count="sent">2<' in body
    assert fragment["Vary"] == "HX-Request, Cookie" or "HX-Request" in fragment["Vary"]


def test_it_estimates_the_finish_at_the_configured_rate(composed, frontdesk, settings):
    settings.SMS_RATE_PER_SECOND = 1.25  # bulk gets 80 %: one SMS a second
    service.confirm(composed, composed.draft_message().pk, actor=frontdesk)  # not handed over
    message = composed.messages.get()
    now = timezone.now()
    result = service.progress(message, now)
    assert (result.total, result.waiting) == (3, 3)
    assert result.expected_finish == now + timedelta(seconds=3)


def test_it_lists_failed_numbers_and_retries_them_once(
    composed, frontdesk, client_as, django_capture_on_commit_callbacks
):
    LocmemBackend.fail_next.append(SmsError("not a mobile", code="21614", permanent=True))
    client = client_as(frontdesk)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, composed)
    message = composed.messages.get()
    failed = service.failed_recipients(message)
    assert len(failed) == 1
    assert "not a mobile number (21614)" in failed[0].reason
    page = client.get(reverse("outages:campaign", args=[composed.pk])).content.decode()
    assert failed[0].mobile in page and "not a mobile number" in page
    retry = {"message": message.pk, "round": 1}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outages:campaign_retry", args=[composed.pk]), retry)
    assert response.status_code == 302
    assert rows(composed).count() == 4
    assert len(LocmemBackend.sent) == 3
    message.refresh_from_db()
    assert service.failed_recipients(message) == []
    result = service.progress(message)
    assert (result.total, result.failed, result.sent) == (3, 0, 3)
    # The same button clicked again sends nothing more.
    client.post(reverse("outages:campaign_retry", args=[composed.pk]), retry)
    assert rows(composed).count() == 4


def test_it_cancels_what_is_not_yet_sent(composed, frontdesk, client_as):
    confirm(client_as(frontdesk), composed)  # on_commit not run: the rows wait
    response = client_as(frontdesk).post(reverse("outages:campaign_cancel", args=[composed.pk]))
    assert response.status_code == 302
    composed.refresh_from_db()
    assert composed.status == S.CANCELLED
    assert set(rows(composed).values_list("status", flat=True)) == {Status.CANCELLED}
    assert service.progress(composed.messages.get()).cancelled == 3


# --- Follow-up ---


def test_it_sends_a_follow_up_to_the_same_citizens(
    sent, frontdesk, client_as, django_capture_on_commit_callbacks
):
    client = client_as(frontdesk)
    page = client.get(reverse("outages:campaign_compose", args=[sent.pk]))
    assert "Vi har åbent igen" in page.content.decode()
    client.post(
        reverse("outages:campaign_compose", args=[sent.pk]),
        {
            "template": "Vi har åbent igen. {genbook}",
            "rebook": "ring 70 10 20 30",
            "action": "save",
        },
    )
    follow_up = sent.draft_message()
    assert follow_up.position == 2
    assert confirm(client, sent, password="wrong").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, sent)
    assert rows(sent).count() == 6
    assert sum(m["body"].startswith("Vi har åbent igen") for m in LocmemBackend.sent) == 3
    follow_up.refresh_from_db()
    assert service.progress(follow_up).total == 3


# --- Approval by a second person ---


def test_it_waits_for_another_persons_approval(
    composed,
    frontdesk,
    colleague,
    employee,
    client_as,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.CAMPAIGN_REQUIRE_APPROVAL = True
    client = client_as(frontdesk)
    assert confirm(client, composed).status_code == 302
    composed.refresh_from_db()
    assert composed.status == S.AWAITING_APPROVAL
    assert not rows(composed).exists()
    message = composed.messages.get()
    approve_url = reverse("outages:campaign_approve", args=[composed.pk])
    data = {"message": message.pk, "password": PASSWORD}
    assert client.post(approve_url, data).status_code == 403  # not the confirmer
    assert client_as(employee).post(approve_url, data).status_code == 403
    assert not rows(composed).exists()
    other = client_as(colleague)
    assert "Approve and send 3 SMS" in other.get(approve_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert other.post(approve_url, data).status_code == 302
    composed.refresh_from_db()
    assert composed.status == S.SENDING
    assert rows(composed).count() == 3
    message.refresh_from_db()
    assert message.approved_by_text == "Colleague"
    report = other.get(reverse("outages:campaign_report", args=[composed.pk])).content.decode()
    assert "Colleague" in report and "Frontdesk" in report


# --- Exercise ---


def test_an_exercise_sends_only_to_the_test_list(
    frontdesk, client_as, django_capture_on_commit_callbacks
):
    ExerciseNumber.objects.create(label="Vagttelefon", number="+4531223344")
    campaign = make_campaign(frontdesk, is_exercise=True)
    client = client_as(frontdesk)
    post_file(client, campaign, export())
    client.post(
        reverse("outages:campaign_compose", args=[campaign.pk]),
        {"template": service.DEFAULT_TEMPLATE, "rebook": "ring 70 10 20 30", "action": "save"},
    )
    page = client.get(reverse("outages:campaign_confirm", args=[campaign.pk])).content.decode()
    assert "Send 1 SMS" in page
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, campaign)
    assert [m["to"] for m in LocmemBackend.sent] == ["+4531223344"]
    assert LocmemBackend.sent[0]["body"].startswith("ØVELSE: ")
    message = campaign.messages.get()
    assert service.progress(message).would_send == 2
    assert "Vagttelefon" in client.get(campaign.get_absolute_url()).content.decode()
    # Exercises are kept out of the real list; a filter shows them apart.
    real = client.get(reverse("outages:campaigns")).content.decode()
    assert campaign.get_absolute_url() not in real
    shown = client.get(reverse("outages:campaigns") + "?exercises=1").content.decode()
    assert campaign.get_absolute_url() in shown


# --- Retention ---


def test_it_purges_citizens_after_the_retention_days_and_keeps_the_counts(
    sent, frontdesk, client_as, settings
):
    settings.CAMPAIGN_RETENTION_DAYS = 30
    message = sent.messages.get()
    now = timezone.now()
    assert service.purge_due(now + timedelta(days=29)) == 0
    assert sent.recipients.count() == 3
    assert purge_campaigns((now + timedelta(days=31)).isoformat()) == 1
    sent.refresh_from_db()
    assert sent.status == S.PURGED
    assert not CampaignRecipient.objects.filter(campaign=sent).exists()
    assert set(rows(sent).values_list("recipient", flat=True)) == {""}
    assert set(rows(sent).values_list("body", flat=True)) == {""}
    message.refresh_from_db()
    assert message.final_counts["total"] == 3
    report = client_as(frontdesk).get(reverse("outages:campaign_report", args=[sent.pk]))
    assert report.status_code == 200
    assert "3 in all" in report.content.decode()
    assert "campaign.purged" in [e.kind for e in timeline.events_for(sent)]
    # Idempotent: a second run finds nothing to do.
    assert service.purge_due(now + timedelta(days=32)) == 0


def test_it_waits_with_the_purge_while_sms_are_still_open(composed, frontdesk):
    service.confirm(composed, composed.draft_message().pk, actor=frontdesk)  # rows pending
    assert service.purge_due(timezone.now() + timedelta(days=365)) == 0
    assert composed.recipients.count() == 3


def test_it_purges_a_draft_left_behind(loaded):
    assert service.purge_due(timezone.now() + timedelta(days=31)) == 1
    loaded.refresh_from_db()
    assert loaded.status == S.PURGED
    assert not loaded.recipients.exists()


# --- The state machine ---


def test_every_state_can_reach_the_purge_and_the_purge_is_final():
    for status, targets in CAMPAIGN_TRANSITIONS.items():
        if status != S.PURGED:
            assert S.PURGED in targets, status
    assert CAMPAIGN_TRANSITIONS[S.PURGED] == ()


def test_it_refuses_steps_out_of_order(loaded, frontdesk):
    with pytest.raises(CampaignError):
        service.close(loaded, actor=frontdesk)  # not sent yet
    service.cancel(loaded, actor=frontdesk)
    with pytest.raises(service.AlreadyDone):
        service.cancel(loaded, actor=frontdesk)
    with pytest.raises(CampaignError):
        service.compose(loaded, template="x", actor=frontdesk)


# --- Where it is reached from ---


def test_it_is_linked_from_the_menu_the_outages_and_the_power_outage(
    frontdesk, employee, client_as
):
    outage = PowerOutage.objects.create(
        title="Rådhuset", meeting_point="P", declared_at=timezone.now()
    )
    new_url = reverse("outages:campaign_new") + f"?power={outage.pk}"
    client = client_as(frontdesk)
    assert new_url in client.get(outage.get_absolute_url()).content.decode()
    index = client.get(reverse("outages:index")).content.decode()
    assert index.count(f'href="{reverse("outages:campaigns")}"') == 2  # menu and page
    other = client_as(employee)
    assert reverse("outages:campaigns") not in other.get(reverse("outages:index")).content.decode()
    assert new_url not in other.get(outage.get_absolute_url()).content.decode()


def test_the_test_list_keeps_numbers_in_e164(db):
    number = ExerciseNumber(label="Vagt", number="20 12 34 56")
    number.full_clean()
    assert number.number == "+4520123456"


def test_the_demo_puts_a_phone_on_the_test_list(db):
    from django.apps import apps

    apps.get_app_config("outages").load_demo(None)
    apps.get_app_config("outages").load_demo(None)
    assert ExerciseNumber.objects.count() == 1


def test_it_keeps_polling_until_the_delivery_reports_are_in(sent, frontdesk, client_as):
    client = client_as(frontdesk)
    url = reverse("outages:campaign", args=[sent.pk])
    assert 'hx-trigger="every' in client.get(url).content.decode()  # 3 sent, no report
    for provider_id in rows(sent).values_list("provider_id", flat=True):
        callbacks.apply_provider_status(provider_id, "delivered")
    html = client.get(url).content.decode()
    assert 'hx-trigger="every' not in html
    assert 'data-count="delivered">3<' in html
