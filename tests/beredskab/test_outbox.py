"""The outbox API with the locmem backend and eager tasks: enqueue, hand-over, claim,
retries, cancel, purge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from beredskab.models import OutboxMessage, Status
from beredskab.models.outbox import Priority
from beredskab.notify import delivery, outbox
from beredskab.notify.sms import LocmemBackend, SmsError
from tests.workers import free_port, publishing_to


@pytest.fixture(autouse=True)
def clean_sms():
    LocmemBackend.sent.clear()
    LocmemBackend.fail_next.clear()
    yield
    LocmemBackend.sent.clear()
    LocmemBackend.fail_next.clear()


def new(key: str, *, channel: str = "sms", priority: str = Priority.ESCALATION, **fields):
    recipient = fields.pop("recipient", "+4520000001" if channel == "sms" else "a@example.dk")
    return outbox.NewMessage(
        channel=channel,
        recipient=recipient,
        body=fields.pop("body", f"Besked {key}"),
        idempotency_key=key,
        priority=priority,
        **fields,
    )


def test_it_is_idempotent_by_key(db):
    first = outbox.enqueue([new("k1"), new("k2")])
    again = outbox.enqueue([new("k1"), new("k2"), new("k3")])
    assert len(first) == 2 and len(again) == 1
    assert OutboxMessage.objects.count() == 3


def test_it_keeps_one_row_for_a_key_repeated_in_one_call(db):
    ids = outbox.enqueue([new("same"), new("same")])
    assert len(ids) == 1 and OutboxMessage.objects.count() == 1


def test_it_hands_over_only_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            (pk,) = outbox.enqueue([new("k")])
            assert LocmemBackend.sent == []
    assert OutboxMessage.objects.get(pk=pk).status == Status.ACCEPTED
    assert len(LocmemBackend.sent) == 1


def test_it_sends_email_through_djangos_backend(db):
    (pk,) = outbox.enqueue([new("m", channel="email", subject="Emne")])
    outbox.hand_over([pk])
    assert mail.outbox[0].to == ["a@example.dk"] and mail.outbox[0].subject == "Emne"
    assert OutboxMessage.objects.get(pk=pk).status == Status.SENT


def test_it_leaves_rows_pending_when_the_broker_is_down(db):
    ids = outbox.enqueue([new("e1"), new("b1", priority=Priority.BULK)])
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    with publishing_to(dead):
        assert outbox.hand_over(ids) == 0
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.PENDING}
    assert LocmemBackend.sent == []


def test_it_marks_handed_over_rows_queued(db):
    ids = outbox.enqueue([new("e1"), new("b1", priority=Priority.BULK)])
    with publishing_to("memory://"):
        assert outbox.hand_over(ids) == 2
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.QUEUED}


def test_it_lets_only_one_claim_win(db):
    (pk,) = outbox.enqueue([new("k")])
    tokens = [outbox.claim(pk), outbox.claim(pk)]
    assert tokens[0] and tokens[1] is None
    msg = OutboxMessage.objects.get(pk=pk)
    assert msg.status == Status.CLAIMED and msg.lease_token == tokens[0] and msg.attempts == 1


def test_it_does_not_claim_before_not_before(db):
    (pk,) = outbox.enqueue([new("k")])
    OutboxMessage.objects.filter(pk=pk).update(not_before=timezone.now() + timedelta(minutes=1))
    assert outbox.claim(pk) is None
    assert outbox.claim(pk, now=timezone.now() + timedelta(minutes=2))


def test_it_cancels_only_messages_not_yet_at_the_provider(db):
    pending, queued, claimed, sending, accepted = outbox.enqueue([new(f"k{i}") for i in range(5)])
    OutboxMessage.objects.filter(pk=queued).update(status=Status.QUEUED)
    claim_token = outbox.claim(claimed)
    send_token = outbox.claim(sending)
    outbox.start_send(sending, send_token)
    accept_token = outbox.claim(accepted)
    outbox.record_accepted(accepted, accept_token, "SM1", "queued")

    assert outbox.cancel(OutboxMessage.objects.all()) == 3
    status = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert [status[pk] for pk in (pending, queued, claimed)] == [Status.CANCELLED] * 3
    assert status[sending] == Status.CLAIMED and status[accepted] == Status.ACCEPTED
    # The worker holding the cancelled claim cannot go on to send it.
    assert outbox.start_send(claimed, claim_token) is False


def test_it_fails_a_permanent_error_at_once(db):
    LocmemBackend.fail_next.append(SmsError("invalid number", code="21211", permanent=True))
    (pk,) = outbox.enqueue([new("k")])
    assert delivery.deliver(pk) == "failed"
    msg = OutboxMessage.objects.get(pk=pk)
    assert (msg.status, msg.error_code, msg.error) == (Status.FAILED, "21211", "invalid number")
    assert LocmemBackend.sent == []


def test_it_retries_a_transient_error_with_growing_backoff_up_to_the_limit(db, settings):
    (pk,) = outbox.enqueue([new("k")])
    delays = []
    with publishing_to("memory://"):  # the re-dispatch is published, not run inline
        for _ in range(outbox.MAX_ATTEMPTS):
            LocmemBackend.fail_next.append(SmsError("timeout", code="transport"))
            OutboxMessage.objects.filter(pk=pk).update(not_before=None)
            before = timezone.now()
            result = delivery.deliver(pk)
            msg = OutboxMessage.objects.get(pk=pk)
            if result == "retry":
                delays.append((msg.not_before - before).total_seconds())
    assert result == "failed" and msg.status == Status.FAILED
    assert msg.attempts == outbox.MAX_ATTEMPTS
    assert len(delays) == outbox.MAX_ATTEMPTS - 1
    assert delays == sorted(delays) and delays[0] < delays[-1]


def test_it_backs_off_when_rate_limited_without_using_up_attempts(db):
    LocmemBackend.fail_next.append(SmsError("rate limited", code="20429", rate_limited=True))
    (pk,) = outbox.enqueue([new("k")])
    with publishing_to("memory://"):
        assert delivery.deliver(pk) == "rate-limited"
    msg = OutboxMessage.objects.get(pk=pk)
    assert msg.status == Status.PENDING and msg.attempts == 0
    assert msg.not_before > timezone.now()
    OutboxMessage.objects.filter(pk=pk).update(not_before=None)
    assert delivery.deliver(pk) == "accepted" and len(LocmemBackend.sent) == 1


def test_it_purges_recipients_and_texts_but_keeps_the_counts(db):
    ids = outbox.enqueue([new(f"c{i}", group_key="campaign:7") for i in range(3)])
    outbox.enqueue([new("other", group_key="campaign:8")])
    for pk in ids:
        outbox.hand_over([pk])
    before = OutboxMessage.objects.for_group("campaign:7").counts_by_status()

    assert outbox.purge_group("campaign:7") == 3
    purged = OutboxMessage.objects.for_group("campaign:7")
    assert purged.counts_by_status() == before == {Status.ACCEPTED: 3}
    assert set(purged.values_list("recipient", "body", "purged")) == {("", "", True)}
    assert OutboxMessage.objects.get(group_key="campaign:8").body == "Besked other"


def test_it_refuses_to_purge_without_a_group(db):
    with pytest.raises(ValueError):
        outbox.purge_group("")


def test_it_claims_a_batch_and_returns_the_rows_it_won_in_order(db):
    ids = outbox.enqueue([new(f"b{n}", priority=Priority.BULK) for n in range(4)])
    taken = outbox.claim(ids[1])  # another worker has this one
    token, rows = outbox.claim_batch_rows(list(reversed(ids)))
    assert [row.pk for row in rows] == [ids[3], ids[2], ids[0]]
    assert all(r.status == Status.CLAIMED and r.lease_token == token for r in rows)
    assert all(r.attempts == 1 for r in rows)  # read after the claim counted the attempt
    assert OutboxMessage.objects.get(pk=ids[1]).lease_token == taken
    # claim_batch (the same, as ids) is unchanged for its callers
    more = outbox.enqueue([new("b9", priority=Priority.BULK)])
    assert outbox.claim_batch(more + ids[:1])[1] == more


def test_it_does_not_send_a_batch_row_cancelled_after_the_batch_read_it(db):
    ids = outbox.enqueue([new(f"c{n}", priority=Priority.BULK) for n in range(2)])
    token, rows = outbox.claim_batch_rows(ids)
    outbox.cancel(OutboxMessage.objects.filter(pk=ids[1]))
    results = [delivery.deliver(row.pk, token=token, msg=row) for row in rows]
    assert results == ["accepted", "cancelled"]
    assert [m["body"] for m in LocmemBackend.sent] == ["Besked c0"]
    assert OutboxMessage.objects.get(pk=ids[1]).status == Status.CANCELLED
