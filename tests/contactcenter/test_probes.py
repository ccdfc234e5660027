"""The health probes, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from beredskab import timeline
from contactcenter.models import ContactChannel
from contactcenter.probes import probe_url
from contactcenter.tasks import probe_channels

pytestmark = pytest.mark.django_db
State = ContactChannel.State


class Health:
    """A tiny health endpoint whose answer the test sets."""

    def __init__(self) -> None:
        self.status = 200
        self.hits = 0
        health = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the stdlib's name
                health.hits += 1
                if health.status == 302:
                    self.send_response(302)
                    self.send_header("Location", "http://example.invalid/")
                else:
                    self.send_response(health.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/health"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def health(settings):
    settings.CONTACT_PROBE_ALLOWED_HOSTS = ["127.0.0.1"]
    server = Health()
    yield server
    server.close()


@pytest.fixture
def robot(channels, health) -> ContactChannel:
    robot = channels["indialog"]
    robot.set_health_url(health.url, actor="test")
    return robot


def tick(start, minutes: int):
    return start + timedelta(minutes=minutes)


def test_it_marks_working_after_two_answers_in_a_row(robot, health):
    start = timezone.now()
    probe_channels(now=tick(start, 1))
    robot.refresh_from_db()
    assert robot.state == State.UNKNOWN
    assert probe_channels(now=tick(start, 2)) == {"indialog": State.WORKING}
    robot.refresh_from_db()
    assert robot.state == State.WORKING
    assert robot.updated_by_text == ContactChannel.PROBE_ACTOR
    assert health.hits == 2


def test_it_degrades_then_downs_then_restores_each_change_on_the_timeline(robot, health):
    start = timezone.now()
    for minute in (1, 2):
        probe_channels(now=tick(start, minute))
    health.status = 503
    states = []
    for minute in range(3, 7):
        probe_channels(now=tick(start, minute))
        robot.refresh_from_db()
        states.append(robot.state)
    assert states == [State.WORKING, State.DEGRADED, State.DEGRADED, State.DOWN]
    health.status = 200
    probe_channels(now=tick(start, 7))
    probe_channels(now=tick(start, 8))
    robot.refresh_from_db()
    assert robot.state == State.WORKING
    changes = [
        e.data["to"] for e in timeline.events_for(robot) if e.kind == "channel.probe_changed"
    ]
    assert changes == [State.WORKING, State.DEGRADED, State.DOWN, State.WORKING]


def test_it_leaves_a_persons_down_alone_when_the_url_answers(robot, health, make_user):
    robot.set_state(State.DOWN, note="Robotten taler volapyk", actor="Anna")
    start = timezone.now()
    for minute in (1, 2, 3):
        probe_channels(now=tick(start, minute))
    robot.refresh_from_db()
    assert robot.state == State.DOWN
    assert robot.note == "Robotten taler volapyk"


def test_it_probes_each_channel_once_when_run_twice_for_the_same_minute(robot, health):
    now = timezone.now()
    probe_channels(now=now)
    probe_channels(now=now + timedelta(seconds=5))
    assert health.hits == 1


def test_it_leaves_the_other_channels_alone(robot, health, channels):
    health.status = 500
    start = timezone.now()
    for minute in range(1, 6):
        probe_channels(now=tick(start, minute))
    states = dict(ContactChannel.objects.values_list("key", "state"))
    assert states["indialog"] == State.DOWN
    assert states["samwin-jansson"] == State.UNKNOWN


def test_it_counts_a_redirect_as_a_failure_and_does_not_follow_it(health):
    health.status = 302
    ok, detail = probe_url(health.url)
    assert not ok
    assert "302" in detail


def test_it_never_calls_a_host_off_the_allow_list(robot, health, settings):
    settings.CONTACT_PROBE_ALLOWED_HOSTS = ["status.example.invalid"]
    probe_channels(now=timezone.now())
    assert health.hits == 0
    assert probe_url(health.url) == (False, "host not allowed")


def test_it_refuses_a_health_url_off_the_allow_list_at_save(client_as, agent, channels, settings):
    settings.CONTACT_PROBE_ALLOWED_HOSTS = ["127.0.0.1"]
    robot = channels["indialog"]
    response = client_as(agent).post(
        reverse("contactcenter:channel_health", args=[robot.pk]),
        {"health_url": "http://169.254.169.254/latest/meta-data"},
    )
    assert response.status_code == 400
    assert "CONTACT_PROBE_ALLOWED_HOSTS" in response.content.decode()
    robot.refresh_from_db()
    assert robot.health_url == ""


def test_it_refuses_every_health_url_while_the_allow_list_is_empty(client_as, agent, channels):
    robot = channels["indialog"]
    response = client_as(agent).post(
        reverse("contactcenter:channel_health", args=[robot.pk]),
        {"health_url": "https://status.indialog.example/health"},
    )
    assert response.status_code == 400
    robot.refresh_from_db()
    assert robot.health_url == ""


def test_it_saves_an_allowed_health_url_on_the_timeline(client_as, agent, channels, health):
    robot = channels["indialog"]
    response = client_as(agent).post(
        reverse("contactcenter:channel_health", args=[robot.pk]), {"health_url": health.url}
    )
    assert response.status_code == 302
    robot.refresh_from_db()
    assert robot.health_url == health.url
    assert timeline.events_for(robot).last().kind == "channel.health_url_changed"
