"""The machinery banner asks for the heartbeats at most every few seconds per process."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beredskab import context_processors, machinery
from beredskab.models import Heartbeat


def heartbeat_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    return sum("beredskab_heartbeat" in q["sql"] for q in queries.captured_queries)


@pytest.fixture
def cached(monkeypatch):
    monkeypatch.setattr(context_processors, "MACHINERY_CHECK_SECONDS", 10.0)
    monkeypatch.setitem(context_processors._machinery_checked, "at", float("-inf"))
    clock = [1000.0]
    monkeypatch.setattr(context_processors.time, "monotonic", lambda: clock[0])
    return clock


def test_it_asks_for_the_heartbeats_once_within_the_interval(client_as, leader, cached):
    client = client_as(leader)
    banner = 'class="banner-alarm"'
    assert heartbeat_queries(client) == 1
    assert heartbeat_queries(client) == 0
    # The machinery comes back: the banner goes within the interval, not at once.
    for name in [machinery.worker_name(q) for q in machinery.QUEUES] + [machinery.BEAT]:
        Heartbeat.objects.create(name=name, last_seen=timezone.now())
    assert banner in client.get(reverse("home")).content.decode()
    cached[0] += 10.0
    assert heartbeat_queries(client) == 1
    assert banner not in client.get(reverse("home")).content.decode()


def test_it_asks_every_time_in_tests(client_as, leader):
    assert context_processors.MACHINERY_CHECK_SECONDS == 0
    client = client_as(leader)
    assert heartbeat_queries(client) == 1
    assert heartbeat_queries(client) == 1
