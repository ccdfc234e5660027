"""Knowing the machinery is alive: heartbeats, /healthz/full and the banner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beredskab import machinery
from beredskab.models import Heartbeat, OutboxMessage
from beredskab.models.outbox import Priority, Status
from beredskab.tasks import heartbeat


def all_alive(now=None):
    now = now or timezone.now()
    for queue in machinery.QUEUES:
        Heartbeat.objects.update_or_create(
            name=machinery.worker_name(queue), defaults={"last_seen": now}
        )
    machinery.beat_record(now)


@pytest.mark.django_db
def test_it_names_each_silent_part():
    now = timezone.now()
    all_alive(now - timedelta(minutes=5))
    heartbeat("worker:escalation")
    assert machinery.silent_parts() == ["worker:bulk", "beat"]


@pytest.mark.django_db
def test_it_reports_an_escalation_message_waiting_too_long():
    all_alive()
    msg = OutboxMessage.objects.create(
        channel="sms", recipient="+4520000000", body="x", idempotency_key="k1"
    )
    assert machinery.failures() == []
    OutboxMessage.objects.filter(pk=msg.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    assert machinery.failures() == ["outbox: an escalation message has waited more than 2 minutes"]


@pytest.mark.django_db
def test_it_reports_bulk_sending_that_does_not_move():
    all_alive()
    OutboxMessage.objects.create(
        channel="sms",
        recipient="+4520000001",
        body="x",
        idempotency_key="k2",
        priority=Priority.BULK,
    )
    # Just enqueued, nothing sent yet: a campaign that has only begun is not silent.
    assert machinery.failures() == []
    OutboxMessage.objects.filter(idempotency_key="k2").update(
        created_at=timezone.now() - timedelta(minutes=3)
    )
    OutboxMessage.objects.create(
        channel="sms",
        recipient="+4520000002",
        body="x",
        idempotency_key="k3",
        priority=Priority.BULK,
        status=Status.ACCEPTED,
        accepted_at=timezone.now() - timedelta(minutes=5),
    )
    assert any("bulk" in f for f in machinery.failures())
    OutboxMessage.objects.filter(idempotency_key="k3").update(accepted_at=timezone.now())
    assert machinery.failures() == []


@pytest.mark.django_db
def test_healthz_full_answers_503_naming_the_part_then_200(client):
    response = client.get(reverse("healthz_full"))
    assert response.status_code == 503
    assert "worker:escalation: silent for more than 15 seconds" in response.json()["failing"]
    all_alive()
    response = client.get(reverse("healthz_full"))
    assert response.json()["failing"] == []
    assert response.status_code == 200


def test_it_shows_the_banner_to_a_leader_only_while_the_machinery_is_silent(
    client_as, leader, employee
):
    banner = 'class="banner-alarm"'
    assert banner in client_as(leader).get(reverse("home")).content.decode()
    assert banner not in client_as(employee).get(reverse("home")).content.decode()
    all_alive()
    assert banner not in client_as(leader).get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_beat_scheduler_records_that_beat_is_alive(tmp_path):
    from beredskab.beat import Scheduler
    from beredskab.celery import app

    scheduler = Scheduler(app=app, schedule_filename=str(tmp_path / "schedule"), lazy=True)
    scheduler.setup_schedule()
    scheduler.tick()
    assert Heartbeat.objects.filter(name=machinery.BEAT).exists()
