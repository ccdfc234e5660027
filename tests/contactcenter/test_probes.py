"""The health probes, against a real HTTP server on 127.0.0.1.

No test touches the internet or DNS: the allowed host name "status.test" resolves
(through a replaced resolver) to 127.0.0.1, which the tests allow, and the probe's
connection to port 80 is steered to the test server's port (binding 80 needs root).
"""

from __future__ import annotations

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from beredskab import timeline
from contactcenter import probes
from contactcenter.models import ContactChannel, host_allowed
from contactcenter.probes import probe_url
from contactcenter.tasks import probe_channels

HOST = "status.test"

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
                    self.send_header("Location", health.redirect_to)
                else:
                    self.send_response(health.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.url = f"http://{HOST}/health"
        self.redirect_to = "http://example.invalid/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def health(settings, monkeypatch):
    settings.CONTACT_PROBE_ALLOWED_HOSTS = [HOST]
    settings.CONTACT_PROBE_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    server = Health()
    server.dialled = []
    real_open = probes.open_socket

    def steer(address, port, timeout):
        server.dialled.append((address, port))
        return real_open(address, server.port if port == 80 else port, timeout)

    monkeypatch.setattr(probes, "resolve", lambda host, port: {HOST: ["127.0.0.1"]}[host])
    monkeypatch.setattr(probes, "open_socket", steer)
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
    settings.CONTACT_PROBE_ALLOWED_HOSTS = [HOST]
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


# --- Ports, resolved addresses and redirects (the authority issue, item 12) ---


@pytest.mark.parametrize(
    "url",
    [f"http://{HOST}:22/", f"https://{HOST}:8443/health", f"http://{HOST}:6379/", f"ftp://{HOST}/"],
)
def test_it_refuses_any_port_but_80_and_443(health, url):
    assert probe_url(url) == (False, "host not allowed")
    assert health.dialled == []


def test_it_accepts_the_explicit_ports_80_and_443(health):
    assert host_allowed(f"http://{HOST}:80/health")
    assert host_allowed(f"https://{HOST}:443/health")
    assert probe_url(f"http://{HOST}:80/health") == (True, "HTTP 200")


def test_it_refuses_a_health_url_on_port_22_at_save(client_as, agent, channels, health):
    robot = channels["indialog"]
    response = client_as(agent).post(
        reverse("contactcenter:channel_health", args=[robot.pk]),
        {"health_url": f"http://{HOST}:22/"},
    )
    assert response.status_code == 400
    robot.refresh_from_db()
    assert robot.health_url == ""


@pytest.mark.parametrize(
    "address", ["169.254.169.254", "10.0.0.5", "192.168.1.1", "127.0.0.2", "::1", "fd00::1"]
)
def test_it_refuses_an_allowed_name_that_resolves_to_a_private_address(
    health, monkeypatch, address
):
    monkeypatch.setattr(probes, "resolve", lambda host, port: [address])
    ok, detail = probe_url(health.url)
    assert not ok
    assert detail == f"address not allowed: {address}"
    assert health.dialled == [] and health.hits == 0


def test_it_refuses_a_name_with_one_private_address_among_public_ones(health, monkeypatch):
    monkeypatch.setattr(probes, "resolve", lambda host, port: ["8.8.8.8", "10.0.0.5"])
    assert probe_url(health.url) == (False, "address not allowed: 10.0.0.5")
    assert health.dialled == []


def test_it_connects_to_the_address_it_checked(health):
    assert probe_url(health.url) == (True, "HTTP 200")
    assert health.dialled == [("127.0.0.1", 80)]


def test_it_refuses_loopback_unless_it_is_allowed(health, settings):
    settings.CONTACT_PROBE_ALLOWED_NETWORKS = []
    assert probe_url(health.url) == (False, "address not allowed: 127.0.0.1")
    assert health.hits == 0


def test_it_does_not_follow_a_redirect_to_another_host(health):
    health.status = 302
    health.redirect_to = "http://169.254.169.254/latest/meta-data"
    ok, detail = probe_url(health.url)
    assert (ok, detail) == (False, "HTTP 302")
    assert health.hits == 1
    assert health.dialled == [("127.0.0.1", 80)]


def test_it_counts_a_failed_resolution_as_a_failure(health, monkeypatch):
    def fail(host, port):
        raise OSError("no such host")

    monkeypatch.setattr(probes, "resolve", fail)
    assert probe_url(health.url) == (False, "DNS: OSError")
