"""/healthz: 200 when the database and the broker answer, a quick 503 naming the part
that does not. Also the Celery app's broker follows REDIS_URL, with no silent fallback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from beredskab.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dead_broker(monkeypatch):
    url = f"redis://127.0.0.1:{closed_port()}/0"
    monkeypatch.setitem(celery_app.conf, "broker_url", url)
    monkeypatch.setitem(celery_app.conf, "broker_write_url", None)
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {})
    return url


@pytest.mark.django_db
def test_it_answers_200_with_the_database_and_broker_up(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "checks": {"database": "ok", "broker": "ok"},
        "failing": [],
    }


@pytest.mark.django_db
def test_it_needs_no_login(client):
    response = client.get(reverse("healthz"))
    assert response.status_code != 302


@pytest.mark.django_db
def test_it_answers_503_naming_the_broker_when_it_is_unreachable(client, dead_broker):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] != "ok"
    assert [part.split(":")[0] for part in body["failing"]] == ["broker"]


@pytest.mark.django_db
def test_it_answers_503_naming_the_database_when_it_fails(client, monkeypatch):
    from django.db import OperationalError, connection

    def refuse():
        raise OperationalError("the database is gone")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["failing"] == ["database: OperationalError"]


@pytest.mark.django_db
def test_it_refuses_post(client):
    assert client.post(reverse("healthz")).status_code == 405


# --- the Celery app ---


def celery_conf(**env_overrides: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    # The demo, asked for explicitly (production is the default and needs REDIS_URL).
    env.update({"DJANGO_ENV": "demo", "DJANGO_SETTINGS_MODULE": "beredskab.settings"})
    env.update(env_overrides)
    code = (
        "from beredskab.celery import app; c = app.conf; "
        "print(c.broker_url, c.task_ignore_result, c.task_publish_retry)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_it_puts_the_broker_on_redis_when_redis_url_is_set():
    url = "redis://127.0.0.1:6390/3"
    assert celery_conf(REDIS_URL=url) == f"{url} True False"


def test_it_uses_the_filesystem_transport_without_redis_url():
    # A host is named so that kombu does not warn on every connect (issue 21).
    assert celery_conf() == "filesystem://localhost/ True False"


def test_it_fails_to_publish_rather_than_fall_back_when_redis_is_down():
    """With REDIS_URL pointing at a closed port, .delay() raises (bounded, no hang)."""
    env = dict(os.environ, DJANGO_ENV="demo")
    env["REDIS_URL"] = f"redis://127.0.0.1:{closed_port()}/0"
    env["DJANGO_SETTINGS_MODULE"] = "beredskab.settings"
    code = (
        "import django; django.setup()\n"
        "from kombu.exceptions import OperationalError\n"
        "from beredskab.tasks import heartbeat\n"
        "try:\n"
        "    heartbeat.delay('test')\n"
        "except OperationalError as exc:\n"
        "    print('raised', type(exc).__name__)\n"
        "else:\n"
        "    print('published')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "raised OperationalError"
