"""The twilio backend: the real twilio-python client against the fake Twilio server,
then end to end with a real Celery worker, Redis and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from beredskab.escalation import engine
from beredskab.models import EscalationChain, EscalationStep, EventKind, OutboxMessage, Status
from beredskab.notify import delivery, outbox, sweeper
from beredskab.notify.sms import SmsError, get_backend
from beredskab.roles import Role, sync_roles
from tests.fakes import FakeTwilio
from tests.workers import CeleryWorker, publishing_to, wait_until, worker_env


@pytest.fixture
def fake():
    # No callbacks unless a test serves them (they would go to BASE_URL).
    with FakeTwilio(send_callbacks=False) as server:
        yield server


@pytest.fixture
def twilio(settings, fake):
    """This process sends through the real twilio client to the fake server."""
    for name, value in fake.settings().items():
        setattr(settings, name, value)
    return fake


def sms(key: str, to: str = "+4520000001", body: str = "Test", *, send: bool = True) -> int:
    """Enqueue one SMS and (eagerly) hand it over, as the commit of a request would."""
    (pk,) = outbox.enqueue(
        [outbox.NewMessage(channel="sms", recipient=to, body=body, idempotency_key=key)]
    )
    if send:
        outbox.hand_over([pk])
    return pk


def test_it_sends_through_the_real_client_and_stores_the_provider_id(db, twilio):
    pk = sms("a", body="Hej æøå")
    msg = OutboxMessage.objects.get(pk=pk)
    assert msg.status == Status.ACCEPTED
    (received,) = twilio.messages
    assert received.to == "+4520000001" and received.body == "Hej æøå"
    assert received.from_ == "Beredskab"
    assert msg.provider_id == received.sid and msg.provider_id.startswith("SM")


def test_it_asks_for_status_callbacks_at_base_url_with_the_signed_message_id(db, twilio, settings):
    from urllib.parse import parse_qs, urlsplit

    from beredskab.notify import callbacks

    settings.BASE_URL = "https://beredskab.example.invalid"
    pk = sms("a")
    url = urlsplit(twilio.messages[0].status_callback)
    assert f"{url.scheme}://{url.netloc}{url.path}" == (
        "https://beredskab.example.invalid/webhooks/twilio/status"
    )
    assert callbacks.message_id(parse_qs(url.query)["m"][0]) == pk


def test_it_uses_the_messaging_service_when_one_is_set(db, twilio, settings):
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "1" * 32
    sms("a")
    assert twilio.messages[0].messaging_service_sid == "MG" + "1" * 32
    assert twilio.messages[0].from_ == ""


@pytest.mark.parametrize(
    ("code", "reason"),
    [(21211, "invalid number"), (21610, "recipient opted out"), (21614, "not a mobile number")],
)
def test_it_fails_a_permanent_error_at_once_with_the_reason(db, twilio, code, reason):
    twilio.failing_numbers["+4520000009"] = code
    pk = sms("a", to="+4520000009")
    msg = OutboxMessage.objects.get(pk=pk)
    assert (msg.status, msg.error_code, msg.error, msg.attempts) == (
        Status.FAILED,
        str(code),
        reason,
        1,
    )
    assert twilio.requests["POST 400"] == 1


def test_it_backs_off_on_429_and_sends_on_the_retry(db, twilio, settings):
    twilio.rate_limit_next(1)
    # The retry is published (to an in-memory broker), not run inline.
    with publishing_to("memory://"):
        pk = sms("a", send=False)
        assert delivery.deliver(pk) == "rate-limited"
        msg = OutboxMessage.objects.get(pk=pk)
        assert msg.status == Status.PENDING and msg.not_before > timezone.now()
        assert msg.attempts == 0  # a rate limit is not the message's fault
        OutboxMessage.objects.filter(pk=pk).update(not_before=timezone.now())
        assert delivery.deliver(pk) == "accepted"
    assert twilio.requests["POST 429"] == 1 and len(twilio.messages) == 1


def test_it_marks_a_gateway_error_unknown_instead_of_sending_again(db, twilio):
    twilio.server_error_next(1)
    pk = sms("a")
    msg = OutboxMessage.objects.get(pk=pk)
    assert msg.status == Status.UNKNOWN and msg.send_started_at is not None
    # Reconciled: not at the provider, so it is sent again (once).
    sweeper.sweep(now=timezone.now() + outbox.RECONCILE_AFTER + timedelta(seconds=1))
    msg.refresh_from_db()
    assert msg.status == Status.ACCEPTED and len(twilio.messages) == 1


def test_it_marks_a_timed_out_send_unknown(db, twilio, settings):
    settings.SMS_TIMEOUT_SECONDS = 0.2
    twilio.latency = 1.0
    pk = sms("a")
    msg = OutboxMessage.objects.get(pk=pk)
    assert msg.status == Status.UNKNOWN
    assert twilio.wait_idle()
    # The provider has it: reconciliation finds it, nothing is sent twice.
    twilio.latency = 0.0
    sweeper.sweep(now=timezone.now() + outbox.RECONCILE_AFTER + timedelta(seconds=1))
    msg.refresh_from_db()
    assert msg.status != Status.UNKNOWN and msg.provider_id == twilio.messages[0].sid
    assert len(twilio.messages) == 1


def test_it_retries_when_the_provider_cannot_be_reached(db, settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:9"  # discard port: connection refused
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC" + "0" * 32, "x"
    with pytest.raises(SmsError) as caught:
        get_backend().send("+4520000001", "Test")
    assert caught.value.code == "transport" and not caught.value.ambiguous


def test_it_finds_a_message_still_queued_at_the_provider(db, twilio):
    # Queued at Twilio (no date_sent yet): a DateSent filter would not list it.
    twilio.send_callbacks = False
    get_backend().send("+4520000001", "Hej")
    since = timezone.now() - timedelta(minutes=1)
    found = get_backend().lookup("+4520000001", "Hej", since=since)
    assert found is not None and found.provider_id == twilio.messages[0].sid
    assert get_backend().lookup("+4520000001", "Anden tekst", since=since) is None
    assert get_backend().lookup("+4520000002", "Hej", since=since) is None


# --- end to end: real worker, Redis, PostgreSQL --------------------------------------


@pytest.fixture
def chain(db):
    sync_roles()  # an earlier transactional test's flush may have removed the role groups
    chain = EscalationChain.objects.create(name="Nedbrud", event_kind=EventKind.BREACH)
    step = EscalationStep.objects.create(
        chain=chain, position=1, name="Leder og systemkoordinator", notify_nearest_leader=True
    )
    step.notify_roles.set(Group.objects.filter(name=Role.SYSTEMKOORDINATOR))
    return chain


@pytest.mark.services
def test_it_delivers_an_escalation_through_a_real_worker_and_signed_callbacks(
    postgres, transactional_db, redis_url, live_server, settings, fake, chain, department, make_user
):
    settings.BASE_URL = live_server.url
    settings.TWILIO_AUTH_TOKEN = fake.auth_token
    reporter = make_user(Role.MEDARBEJDER, username="reporter").person
    boss = make_user(Role.MEDARBEJDER, Role.LEDER, username="boss").person
    department.leaders.add(boss)
    koordinator = make_user(Role.SYSTEMKOORDINATOR, username="koordinator").person
    numbers = {str(boss.mobile), str(koordinator.mobile)}
    env = worker_env(postgres, redis_url, fake.settings(), base_url=live_server.url)

    fake.send_callbacks = True
    with CeleryWorker(env) as worker, publishing_to(redis_url):
        run = engine.start_run(chain, title="Nedbrud i fagsystem", reporter=reporter)
        arrived = fake.wait_for(lambda msgs: {m.to for m in msgs} >= numbers, timeout=60)
        assert arrived, worker.log()
        rows = OutboxMessage.objects.filter(group_key=run.group_key, channel="sms")
        delivered = wait_until(
            lambda: set(rows.values_list("status", flat=True)) == {Status.DELIVERED}, 30
        )
        assert delivered, (rows.counts_by_status(), worker.log())

    for number in numbers:
        (message,) = fake.to(number)
        assert "/a/" in message.body
        assert [answer for _, answer in message.callbacks] == [204, 204]
    assert set(rows.values_list("provider_id", flat=True)) == {m.sid for m in fake.messages}
    # Each SMS's delivery is on the run's record once, by the portal's own message id.
    from beredskab import timeline

    delivered_lines = [e for e in timeline.events_for(run) if e.kind == "message.delivered"]
    assert sorted(e.data["message"] for e in delivered_lines) == sorted(
        rows.values_list("pk", flat=True)
    )
