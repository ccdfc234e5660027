"""Delivery on the record: each provider outcome of a message to staff is one line on
its run's timeline, in Danish; callbacks find the row by the portal's signed id."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from twilio.request_validator import RequestValidator

from beredskab import timeline
from beredskab.models import EscalationRun, EventKind, OutboxMessage, Person, Status
from beredskab.models.outbox import Priority
from beredskab.models.timeline import TimelineEvent
from beredskab.notify import callbacks, delivery_record, outbox, sweeper
from beredskab.notify.sms import SendResult
from tests.beredskab.test_webhooks import BASE, TOKEN, twilio_settings  # noqa: F401 (autouse)

AT_0712 = datetime(2026, 3, 2, 7, 12, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: AT_0712)
    return AT_0712


@pytest.fixture
def run(db) -> EscalationRun:
    return EscalationRun.objects.create(
        chain_name="Databrud",
        event_kind=EventKind.BREACH,
        title="Mistanke om databrud",
        started_at=timezone.now(),
    )


@pytest.fixture
def dpo(db) -> Person:
    return Person.objects.create(name="Charlotte Winther", title="DPO", mobile="+4521980001")


def enqueue(**fields) -> OutboxMessage:
    (pk,) = outbox.enqueue([outbox.NewMessage(**fields)])
    return OutboxMessage.objects.get(pk=pk)


def sent_to_provider(msg: OutboxMessage, sid: str = "SM123", *, record: bool = True):
    token = outbox.claim(msg.pk)
    outbox.start_send(msg.pk, token)
    if record:
        outbox.record_accepted(msg.pk, token, sid, "queued")
    return token


@pytest.fixture
def to_dpo(run, dpo) -> OutboxMessage:
    return enqueue(
        channel="sms",
        recipient=str(dpo.mobile),
        body="Databrud: kvitter",
        idempotency_key="run:dpo:sms",
        recipient_name=dpo.name,
        person_id=dpo.pk,
        group_key=run.group_key,
    )


def callback(client, status: str, *, url: str, sid: str = "SM123", more: dict | None = None):
    params = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC1", "To": "+4521"}
    params.update(more or {})
    signature = RequestValidator(TOKEN).compute_signature(url, params)
    return client.post(url.removeprefix(BASE), params, HTTP_X_TWILIO_SIGNATURE=signature)


def lines(subject) -> list[str]:
    with translation.override("da"):
        return [
            timeline.describe(e)
            for e in timeline.events_for(subject)
            if e.kind.startswith("message.")
        ]


def test_delivered_a_late_sent_and_delivered_again_make_one_line(client, run, to_dpo, fixed_clock):
    sent_to_provider(to_dpo)
    url = callbacks.status_callback_url(to_dpo.pk)
    for status in ("delivered", "sent", "delivered"):
        assert callback(client, status, url=url).status_code == 204
    to_dpo.refresh_from_db()
    assert to_dpo.status == Status.DELIVERED
    assert lines(run) == [
        "SMS til Charlotte Winther (DPO) afleveret til udbyderen 07:12",
        "SMS til Charlotte Winther (DPO) leveret 07:12",
    ]


def test_an_undelivered_message_says_why(client, run, to_dpo, fixed_clock):
    sent_to_provider(to_dpo)
    url = callbacks.status_callback_url(to_dpo.pk)
    callback(client, "undelivered", url=url, more={"ErrorCode": "30003"})
    callback(client, "delivered", url=url)  # a final outcome is not replaced
    to_dpo.refresh_from_db()
    assert (to_dpo.status, to_dpo.error_code) == (Status.UNDELIVERED, "30003")
    assert lines(run)[-1] == (
        "SMS til Charlotte Winther (DPO) ikke leveret 07:12: telefonen kunne ikke nås (30003)"
    )
    assert len(lines(run)) == 2


def test_a_refusal_by_the_provider_is_on_the_record(run, to_dpo, fixed_clock):
    token = outbox.claim(to_dpo.pk)
    outbox.start_send(to_dpo.pk, token)
    outbox.record_failed(to_dpo.pk, token, "21614", "not a mobile number")
    assert lines(run) == [
        "SMS til Charlotte Winther (DPO) mislykkedes 07:12: ikke et mobilnummer (21614)"
    ]


def test_a_callback_before_the_workers_answer_finds_the_row_without_waiting(
    client, run, to_dpo, fixed_clock
):
    # The provider called back before the worker stored its id: the signed portal id
    # finds the row at once; the worker's late answer then records the id only.
    token = sent_to_provider(to_dpo, record=False)
    url = callbacks.status_callback_url(to_dpo.pk)
    assert callback(client, "delivered", url=url, sid="SMearly").status_code == 204
    assert outbox.record_accepted(to_dpo.pk, token, "SMearly", "queued")
    to_dpo.refresh_from_db()
    assert to_dpo.status == Status.DELIVERED
    assert to_dpo.provider_id == "SMearly"
    assert to_dpo.lease_token == ""
    assert lines(run) == ["SMS til Charlotte Winther (DPO) leveret 07:12"]


def test_a_callback_settles_an_unknown_send_so_it_is_not_sent_again(
    client, run, to_dpo, monkeypatch
):
    token = sent_to_provider(to_dpo, record=False)
    outbox.record_unknown(to_dpo.pk, token, "transport", "ReadTimeout")
    callback(client, "sent", url=callbacks.status_callback_url(to_dpo.pk), sid="SMx")
    to_dpo.refresh_from_db()
    assert (to_dpo.status, to_dpo.provider_id) == (Status.SENT, "SMx")
    assert sweeper.reconcile(to_dpo, timezone.now()) in {"reconciled", "resent"}
    to_dpo.refresh_from_db()
    assert to_dpo.status == Status.SENT  # the reconcile's conditional update lost


def test_a_reconciled_send_goes_on_the_record_once(run, to_dpo, monkeypatch):
    token = sent_to_provider(to_dpo, record=False)
    outbox.record_unknown(to_dpo.pk, token, "transport", "ReadTimeout")

    from beredskab.notify.providers import routing

    monkeypatch.setattr(
        routing, "lookup", lambda msg: SendResult(provider_id="SMfound", status="delivered")
    )
    to_dpo.refresh_from_db()
    assert sweeper.reconcile(to_dpo, timezone.now()) == "reconciled"
    assert sweeper.reconcile(to_dpo, timezone.now()) == "reconciled"  # a second sweep
    assert len(lines(run)) == 1


def test_a_forged_message_id_is_refused(client, run, to_dpo):
    sent_to_provider(to_dpo)
    url = f"{BASE}{reverse('twilio_status')}?m={to_dpo.pk}:forged"
    assert callback(client, "delivered", url=url).status_code == 403
    to_dpo.refresh_from_db()
    assert to_dpo.status == Status.ACCEPTED


def test_the_twilio_signature_is_still_checked_with_a_signed_id(client, to_dpo):
    sent_to_provider(to_dpo)
    url = callbacks.status_callback_url(to_dpo.pk)
    params = {"MessageSid": "SM123", "MessageStatus": "delivered"}
    forged = RequestValidator("wrong-token").compute_signature(url, params)
    response = client.post(url.removeprefix(BASE), params, HTTP_X_TWILIO_SIGNATURE=forged)
    assert response.status_code == 403
    to_dpo.refresh_from_db()
    assert to_dpo.status == Status.ACCEPTED


def test_a_citizens_message_never_reaches_a_timeline(client, db, fixed_clock):
    citizen = enqueue(
        channel="sms",
        recipient="+4529990001",
        body="Din tid er aflyst",
        idempotency_key="campaign:1:m1:+4529990001",
        recipient_name="Borger Hansen",
        group_key="campaign:1",
        priority=Priority.BULK,
    )
    before = TimelineEvent.objects.count()
    token = outbox.claim(citizen.pk)
    outbox.start_send(citizen.pk, token)
    outbox.record_accepted(citizen.pk, token, "SMcit", "queued")
    url = callbacks.status_callback_url(citizen.pk)
    callback(client, "undelivered", url=url, sid="SMcit", more={"ErrorCode": "30005"})
    citizen.refresh_from_db()
    assert citizen.status == Status.UNDELIVERED  # the campaign's counts still see it
    assert TimelineEvent.objects.count() == before
    assert delivery_record.timeline_target(citizen) is None
    stored = " ".join(
        f"{e.subject_text} {e.actor_text} {e.data}" for e in TimelineEvent.objects.all()
    )
    assert "29990001" not in stored and "Borger Hansen" not in stored


def test_a_timeline_line_never_holds_the_number(client, run, to_dpo):
    sent_to_provider(to_dpo)
    callback(client, "delivered", url=callbacks.status_callback_url(to_dpo.pk))
    for event in timeline.events_for(run):
        assert "21980001" not in str(event.data)


def test_an_email_to_staff_is_handed_to_the_mail_server(run, dpo, fixed_clock):
    msg = enqueue(
        channel="email",
        recipient="dpo@example.invalid",
        body="x",
        subject="s",
        idempotency_key="run:dpo:email",
        recipient_name=dpo.name,
        person_id=dpo.pk,
        group_key=run.group_key,
    )
    token = outbox.claim(msg.pk)
    outbox.start_send(msg.pk, token)
    outbox.record_accepted(msg.pk, token, f"email-{msg.pk}", "sent")
    assert lines(run) == ["E-mail til Charlotte Winther (DPO) afleveret til mailserveren 07:12"]
