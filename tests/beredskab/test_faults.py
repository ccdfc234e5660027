"""Faults with real parts: a real Celery worker, PostgreSQL, the real twilio client
against the fake Twilio server, and a redis-server each test starts itself (never the
shared one). Every message must reach the provider exactly once, counted there.

Every wait is bounded, so a failure cannot hang CI.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from beredskab.escalation import engine
from beredskab.models import EscalationChain, EscalationStep, EventKind, OutboxMessage, Status
from beredskab.models.outbox import OPEN_STATUSES, Priority
from beredskab.notify import outbox, sweeper
from beredskab.roles import Role, sync_roles
from tests.fakes import FakeTwilio
from tests.workers import CeleryWorker, RedisServer, publishing_to, wait_until, worker_env

pytestmark = pytest.mark.services

WAIT = 90  # seconds: the bound on every wait below


@pytest.fixture
def redis_server(redis_server_binary):
    server = RedisServer(redis_server_binary).start()
    yield server
    server.stop()


@pytest.fixture
def fake(settings):
    with FakeTwilio(send_callbacks=False) as server:
        # This process runs the sweeper, which looks unknown sends up at the provider.
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server


def open_rows():
    return OutboxMessage.objects.filter(status__in=OPEN_STATUSES)


def test_it_delivers_every_message_once_after_redis_was_down_when_a_run_started(
    postgres, transactional_db, redis_server, fake, make_user, department
):
    sync_roles()  # an earlier transactional test's flush removed the role groups
    boss = make_user(Role.MEDARBEJDER, Role.LEDER, username="boss").person
    department.leaders.add(boss)
    koordinatorer = [make_user(Role.SYSTEMKOORDINATOR).person for _ in range(3)]
    reporter = make_user(Role.MEDARBEJDER, username="reporter").person
    chain = EscalationChain.objects.create(name="Brud", event_kind=EventKind.BREACH)
    step = EscalationStep.objects.create(
        chain=chain, position=1, name="Første", notify_nearest_leader=True, by_email=False
    )
    step.notify_roles.set(Group.objects.filter(name=Role.SYSTEMKOORDINATOR))
    numbers = {str(p.mobile) for p in [boss, *koordinatorer]}
    env = worker_env(postgres, redis_server.url, fake.settings())

    with CeleryWorker(env) as worker, publishing_to(redis_server.url):
        redis_server.stop()
        run = engine.start_run(chain, title="Ransomware", reporter=reporter)
        # The request succeeded; nothing reached the broker, so nothing is lost either.
        rows = OutboxMessage.objects.filter(group_key=run.group_key)
        assert rows.count() == len(numbers)
        assert set(rows.values_list("status", flat=True)) == {Status.PENDING}

        redis_server.start()
        counts = sweeper.sweep(now=timezone.now() + outbox.HANDOVER_GRACE + timedelta(seconds=1))
        assert counts["handed_over"] == len(numbers)
        arrived = fake.wait_for(lambda msgs: {m.to for m in msgs} >= numbers, timeout=WAIT)
        assert arrived, worker.log()
        assert wait_until(lambda: not open_rows().exists(), WAIT), worker.log()

    assert sorted(m.to for m in fake.messages) == sorted(numbers)  # each exactly once
    assert set(rows.values_list("status", flat=True)) == {Status.ACCEPTED}


def test_it_loses_nothing_and_sends_nothing_twice_when_a_worker_is_killed_mid_batch(
    postgres, transactional_db, redis_server, fake
):
    total = 300
    fake.latency = 0.01  # a message is always in flight when the kill comes
    env = worker_env(postgres, redis_server.url, fake.settings())
    messages = [
        outbox.NewMessage(
            channel="sms",
            recipient=f"+4521{n:06d}",
            body=f"Aflysning af tid nr. {n}",
            idempotency_key=f"campaign:1:{n}",
            priority=Priority.BULK,
            group_key="campaign:1",
        )
        for n in range(total)
    ]

    with publishing_to(redis_server.url):
        worker = CeleryWorker(env).start()
        try:
            with transaction.atomic():
                outbox.enqueue(messages)  # handed over on commit
            started = fake.wait_for(lambda msgs: len(msgs) >= 60, timeout=WAIT)
            assert started, worker.log()
            worker.kill()
        finally:
            worker.stop()
        assert len(fake.messages) < total, "the batch finished before the kill"
        # What the killed worker had sent is at the provider now.
        assert fake.wait_idle()

        # Leases, lost tasks and unknown sends are picked up without waiting for them.
        after = timezone.now() + outbox.LEASE + outbox.QUEUED_STALE + timedelta(seconds=30)
        counts = sweeper.sweep(now=after)
        assert counts["handed_over"] > 0, counts
        with CeleryWorker(env) as restarted:
            done = wait_until(lambda: not open_rows().exists(), WAIT, interval=0.5)
            assert done, (OutboxMessage.objects.counts_by_status(), restarted.log())

    assert fake.duplicates() == {}
    assert len(fake.messages) == total
    assert OutboxMessage.objects.counts_by_status() == {Status.ACCEPTED: total}
