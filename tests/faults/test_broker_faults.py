"""Redis faults with a redis-server of the test's own (never the shared one), a real
Celery worker and the fake Twilio server: a hung Redis never holds a report or
/healthz for long; workers are seen alive while busy, seen dead within 30 s when the
broker goes, and send again within 5 s of its return.

The bounds below are failure limits far above the budgets (about 1 s), not
measurements: the figures are tests/bench/bench_faults.py's.
"""

from __future__ import annotations

import os
import signal
import time
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.urls import reverse

from beredskab import context_processors, machinery
from beredskab.celery import app
from beredskab.models import Heartbeat, OutboxMessage
from beredskab.models.outbox import Priority, Status
from beredskab.notify import outbox
from beredskab.roles import Role, sync_roles
from tests.fakes import FakeTwilio
from tests.workers import CeleryWorker, RedisServer, publishing_to, wait_until, worker_env

pytestmark = pytest.mark.services

WAIT = 90


@pytest.fixture
def redis_server(redis_server_binary):
    server = RedisServer(redis_server_binary).start()
    yield server
    server.stop()


@pytest.fixture
def fake(settings):
    with FakeTwilio(send_callbacks=False) as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server


@contextmanager
def publishing_like_the_web(settings, url: str):
    """This process publishes to `url` with the transport options a web process has."""
    saved = app.conf.broker_transport_options
    app.conf.broker_transport_options = dict(settings.REDIS_TRANSPORT_OPTIONS)
    try:
        with publishing_to(url):
            yield
    finally:
        app.conf.broker_transport_options = saved


@contextmanager
def frozen(server: RedisServer):
    """SIGSTOP: the port still accepts connections, nothing is ever answered."""
    os.kill(server.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(server.process.pid, signal.SIGCONT)


def sms(n: int, priority: str = Priority.ESCALATION, group: str = "") -> outbox.NewMessage:
    return outbox.NewMessage(
        channel="sms",
        recipient=f"+4522{n:06d}",
        body=f"Besked nr. {n}",
        idempotency_key=f"faults:{group}:{n}",
        priority=priority,
        group_key=group,
    )


# --- 4. A hung Redis ---------------------------------------------------------------


def test_a_hung_redis_holds_the_hand_over_after_commit_about_a_second(
    transactional_db, settings, redis_server
):
    with publishing_like_the_web(settings, redis_server.url):
        with transaction.atomic():
            [pk] = outbox.enqueue([sms(1)])  # a first publish: the pool has a connection
        assert OutboxMessage.objects.get(pk=pk).status == Status.QUEUED
        with frozen(redis_server):
            started = time.monotonic()
            with transaction.atomic():
                [pk] = outbox.enqueue([sms(2)])
            took = time.monotonic() - started
    assert took < 4.0, f"the hand-over waited {took:.1f} s on a hung Redis"
    # Nothing lost: the row waits for the sweeper.
    assert OutboxMessage.objects.get(pk=pk).status == Status.PENDING


def test_healthz_answers_503_within_its_budget_when_redis_hangs(db, client, settings, redis_server):
    with publishing_like_the_web(settings, redis_server.url):
        assert client.get(reverse("healthz")).status_code == 200
        with frozen(redis_server):
            started = time.monotonic()
            response = client.get(reverse("healthz"))
            took = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["broker"] != "ok"
    assert took < 4.0, f"/healthz waited {took:.1f} s on a hung Redis"


# --- 2 and 5. Workers seen alive while busy, seen gone, back at once ----------------


def fresh(name: str) -> bool:
    return name not in machinery.silent_parts()


def test_a_busy_bulk_worker_is_never_taken_for_dead(postgres, transactional_db, redis_server, fake):
    fake.latency = 0.15  # one process, 120 SMS: about 20 s of steady work
    env = worker_env(postgres, redis_server.url, fake.settings())
    bulk = machinery.worker_name("bulk")
    with (
        CeleryWorker(env, queues="bulk", concurrency=1) as worker,
        publishing_to(redis_server.url),
    ):
        assert wait_until(lambda: fresh(bulk), 20), worker.log()
        with transaction.atomic():
            outbox.enqueue(sms(n, Priority.BULK, "campaign:busy") for n in range(120))
        assert fake.wait_for(lambda m: len(m) >= 5, timeout=WAIT), worker.log()
        silent_while_sending = []
        while len(fake.messages) < 100:
            if not fresh(bulk):
                silent_while_sending.append(len(fake.messages))
            time.sleep(1.0)
        assert silent_while_sending == [], worker.log()
        assert Heartbeat.objects.get(name=bulk).detail.startswith(worker.name)


def test_the_banner_shows_within_30_s_and_sending_resumes_within_5_s_of_redis(
    postgres, transactional_db, redis_server, fake, make_user
):
    sync_roles()
    leader = make_user(Role.MEDARBEJDER, Role.LEDER, username="watcher")
    env = worker_env(postgres, redis_server.url, fake.settings())
    escalation = machinery.worker_name("escalation")
    machinery.beat_record()  # beat is not what this test is about
    with CeleryWorker(env, queues="escalation,bulk") as worker:
        assert wait_until(lambda: machinery.silent_parts() == [], 20), worker.log()
        assert context_processors.machinery_banner(leader) == ""

        redis_server.stop()
        gone = time.monotonic()
        assert wait_until(lambda: not fresh(escalation), 30), worker.log()
        assert context_processors.machinery_banner(leader) != ""
        # Long enough for a growing back-off to have reached long pauses.
        time.sleep(max(0.0, 25 - (time.monotonic() - gone)))

        redis_server.start()
        back = time.monotonic()
        with publishing_to(redis_server.url):
            with transaction.atomic():
                [pk] = outbox.enqueue([sms(7)])
        assert OutboxMessage.objects.get(pk=pk).status == Status.QUEUED
        arrived = fake.wait_for(lambda m: len(m) == 1, timeout=WAIT)
        resumed = time.monotonic() - back
        assert arrived, worker.log()
        assert resumed < 5.0, f"sending resumed {resumed:.1f} s after Redis returned"
        assert wait_until(lambda: machinery.silent_parts() == [], 20), worker.log()
        assert context_processors.machinery_banner(leader) == ""
