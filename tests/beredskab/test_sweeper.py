"""The sweeper: expired leases, unknown sends reconciled at the (fake) provider before
anything is re-sent, lost hand-overs. Time is moved by passing `now`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from beredskab.models import OutboxMessage, Status
from beredskab.models.outbox import Priority
from beredskab.notify import outbox, sweeper
from tests.fakes import FakeTwilio
from tests.workers import publishing_to

TO = "+4520000001"


@pytest.fixture
def fake(settings):
    with FakeTwilio(send_callbacks=False) as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server


def enqueue(key: str = "k", body: str = "Kom ind", **fields) -> int:
    (pk,) = outbox.enqueue(
        [outbox.NewMessage(channel="sms", recipient=TO, body=body, idempotency_key=key, **fields)]
    )
    return pk


def status(pk: int) -> str:
    return OutboxMessage.objects.get(pk=pk).status


def later(seconds: float):
    return timezone.now() + timedelta(seconds=seconds)


def after_lease():
    return later(outbox.LEASE.total_seconds() + 1)


def test_it_sends_again_a_message_whose_lease_ran_out_before_the_send(db, fake):
    pk = enqueue()
    assert outbox.claim(pk)  # the worker died before calling the provider
    counts = sweeper.sweep(now=after_lease())
    assert counts["expired"] == 1 and counts["unknown"] == 0
    assert status(pk) == Status.ACCEPTED and len(fake.messages) == 1


def test_it_keeps_a_live_lease(db, fake):
    pk = enqueue()
    outbox.claim(pk)
    assert sweeper.sweep(now=later(30))["expired"] == 0
    assert status(pk) == Status.CLAIMED and fake.messages == []


def test_it_looks_a_send_up_before_sending_it_again_when_its_lease_ran_out(db, fake):
    pk = enqueue()
    outbox.start_send(pk, outbox.claim(pk))  # the worker died after calling the provider
    counts = sweeper.sweep(now=after_lease())
    assert counts["unknown"] == 1 and counts["resent"] == 1
    # Looked up first (GET), not found, only then sent again (POST), once.
    assert fake.request_log == ["GET 200", "POST 201"]
    assert status(pk) == Status.ACCEPTED


def test_it_waits_before_looking_up_a_send_that_timed_out(db, fake):
    pk = enqueue()
    token = outbox.claim(pk)
    outbox.start_send(pk, token)
    outbox.record_unknown(pk, token, "transport", "ReadTimeout")
    assert sweeper.sweep(now=later(5)).get("resent", 0) == 0
    assert status(pk) == Status.UNKNOWN and fake.request_log == []
    counts = sweeper.sweep(now=later(outbox.RECONCILE_AFTER.total_seconds() + 1))
    assert counts["resent"] == 1 and fake.request_log == ["GET 200", "POST 201"]


def test_it_reconciles_an_unknown_send_the_provider_has(db, fake):
    pk = enqueue()
    outbox.start_send(pk, outbox.claim(pk))
    at_provider = fake.add_message(TO, "Kom ind", status="delivered")
    counts = sweeper.sweep(now=after_lease())
    assert counts["unknown"] == 1 and counts["reconciled"] == 1
    msg = OutboxMessage.objects.get(pk=pk)
    assert msg.provider_id == at_provider.sid
    assert msg.status == Status.DELIVERED  # the provider's status, callbacks were missed
    assert len(fake.messages) == 1  # not sent again


def test_it_sends_an_unknown_message_again_only_when_the_provider_does_not_have_it(db, fake):
    pk = enqueue()
    fake.add_message(TO, "Another text")  # same recipient, other message: not a match
    outbox.start_send(pk, outbox.claim(pk))
    assert sweeper.sweep(now=after_lease())["resent"] == 1
    assert status(pk) == Status.ACCEPTED
    assert [m.body for m in fake.to(TO)] == ["Another text", "Kom ind"]


def test_it_postpones_reconciliation_while_the_provider_cannot_be_asked(db, fake, settings):
    pk = enqueue()
    outbox.start_send(pk, outbox.claim(pk))
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:9"  # nothing answers
    assert sweeper.sweep(now=after_lease()).get("postponed") == 1
    assert status(pk) == Status.UNKNOWN and fake.messages == []


def test_it_hands_over_pending_rows_after_the_grace_period_escalation_first(db):
    bulk = enqueue("b", priority=Priority.BULK)
    escalation = enqueue("e")
    with publishing_to("memory://"):
        assert sweeper.sweep(now=timezone.now())["handed_over"] == 0
        assert (
            sweeper.sweep(now=later(outbox.HANDOVER_GRACE.total_seconds() + 1))["handed_over"] == 2
        )
    assert status(bulk) == status(escalation) == Status.QUEUED


def test_it_hands_over_again_what_was_queued_but_lost_with_the_broker(db):
    pk = enqueue()
    with publishing_to("memory://"):
        outbox.hand_over([pk])
        assert status(pk) == Status.QUEUED
        sweeper.sweep(now=later(60))
        assert status(pk) == Status.QUEUED  # still waiting in the broker: left alone
    sweeper.sweep(now=later(outbox.QUEUED_STALE.total_seconds() + 1))  # eager: sent now
    assert status(pk) == Status.ACCEPTED


def test_it_sends_each_message_once_when_two_sweeps_run(db, fake):
    ids = [enqueue(f"k{i}", body=f"Besked {i}") for i in range(5)]
    for pk in ids:
        outbox.start_send(pk, outbox.claim(pk))
    for now in (after_lease(), after_lease(), later(300)):
        sweeper.sweep(now=now)
    assert len(fake.messages) == 5 and fake.duplicates() == {}
    assert {status(pk) for pk in ids} == {Status.ACCEPTED}


def test_it_does_not_requeue_a_queue_that_is_still_moving(db):
    from beredskab.models.outbox import Priority

    now = timezone.now()
    old = now - timedelta(minutes=10)
    waiting = OutboxMessage.objects.create(
        channel="sms",
        recipient=TO,
        body="w",
        idempotency_key="wait",
        priority=Priority.BULK,
        status=Status.QUEUED,
    )
    OutboxMessage.objects.filter(pk=waiting.pk).update(updated_at=old)
    # Taken earlier in the queue's order: it is older than the waiting row.
    sent = OutboxMessage.objects.create(
        channel="sms",
        recipient=TO,
        body="s",
        idempotency_key="sent",
        priority=Priority.BULK,
        status=Status.ACCEPTED,
        accepted_at=now - timedelta(seconds=5),
    )
    OutboxMessage.objects.filter(pk=sent.pk).update(created_at=old - timedelta(minutes=1))
    sweeper.sweep(now=now)
    assert OutboxMessage.objects.get(pk=waiting.pk).status == Status.QUEUED
    # Once nothing has moved for the whole stale period, the rows are handed over again.
    OutboxMessage.objects.filter(idempotency_key="sent").update(accepted_at=old)
    OutboxMessage.objects.filter(pk=waiting.pk).update(updated_at=old)
    sweeper.sweep(now=now)
    assert OutboxMessage.objects.get(pk=waiting.pk).status != Status.QUEUED


def test_it_requeues_a_lost_row_when_a_younger_one_was_already_taken(db):
    """A killed worker's reserved task: the queue moves on, the lost row is re-sent."""
    from beredskab.models.outbox import Priority

    now = timezone.now()
    old = now - timedelta(minutes=10)
    lost = OutboxMessage.objects.create(
        channel="sms",
        recipient=TO,
        body="l",
        idempotency_key="lost",
        priority=Priority.BULK,
        status=Status.QUEUED,
    )
    OutboxMessage.objects.filter(pk=lost.pk).update(updated_at=old, created_at=old)
    OutboxMessage.objects.create(
        channel="sms",
        recipient=TO,
        body="y",
        idempotency_key="younger",
        priority=Priority.BULK,
        status=Status.ACCEPTED,
        accepted_at=now,
    )
    sweeper.sweep(now=now)
    assert OutboxMessage.objects.get(pk=lost.pk).status != Status.QUEUED


def test_it_recovers_the_waiting_rows_of_a_batch_whose_worker_died(db):
    """send_batch claims its whole batch; the rows a killed worker never reached come
    back when the lease runs out, and the token of the dead batch can no longer send."""
    pks = [
        OutboxMessage.objects.create(
            channel="sms",
            recipient=TO,
            body=f"b{n}",
            idempotency_key=f"batch-{n}",
            status=Status.QUEUED,
        ).pk
        for n in range(3)
    ]
    token, claimed = outbox.claim_batch(pks)
    assert claimed == pks
    assert outbox.claim(pks[0]) is None  # nobody else takes a claimed row
    later = timezone.now() + outbox.LEASE + timedelta(seconds=1)
    sweeper.sweep(now=later)
    assert set(OutboxMessage.objects.filter(pk__in=pks).values_list("status", flat=True)) <= {
        Status.PENDING,
        Status.QUEUED,
        Status.ACCEPTED,
    }
    assert not outbox.start_send(pks[0], token)


def test_it_reads_what_a_fake_in_its_own_process_received(settings):
    """The benchmarks' fake: the same server in a process of its own, read from here."""
    from beredskab.notify.sms import get_backend
    from tests.fakes.twilio_server import FakeTwilioProcess

    with FakeTwilioProcess(send_callbacks=False) as remote:
        for name, value in remote.settings().items():
            setattr(settings, name, value)
        first = get_backend().send(TO, "Kom ind")
        get_backend().send("+4520000002", "Kom ind")
        assert remote.wait_for(lambda msgs: len(msgs) == 2, timeout=30)
        assert [m.to for m in remote.messages] == [TO, "+4520000002"]
        assert remote.messages[0].sid == first.provider_id
        assert remote.to(TO)[0].received_at <= remote.messages[1].received_at
        assert remote.duplicates() == {} and remote.wait_idle()
        assert remote.wait_for(lambda msgs: len(msgs) == 3, timeout=0.3) is False
    assert remote.process.poll() is not None  # stopped with the block
    assert len(remote.messages) == 2  # and what arrived is still there to read
