"""A real Celery worker subprocess round-trips a task through Redis into PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from beredskab.celery import app
from beredskab.models import Heartbeat

pytestmark = [
    pytest.mark.services,
    # send_task always goes to the broker, which is the point here.
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

STARTUP_AND_TASK_TIMEOUT = 60  # seconds; a bound, not an assertion on speed


def database_url(connection) -> str:
    """The URL of the TEST database, so the worker writes where this test reads."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or "127.0.0.1"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgresql://{auth}@{host}{port}/{quote(s['NAME'], safe='')}"


def stop(worker: subprocess.Popen, log: Path) -> str:
    """Stop the worker (warm shutdown, then kill) and return what it logged."""
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
    return log.read_text(encoding="utf-8", errors="replace")


def test_it_round_trips_a_task_through_a_real_worker(
    postgres, transactional_db, redis_url, tmp_path: Path
):
    queue = f"test-worker-{uuid.uuid4().hex}"
    name = f"worker-test:{uuid.uuid4().hex}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "TESTING"},
        "DATABASE_URL": database_url(postgres),
        "REDIS_URL": redis_url,
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "beredskab.settings",
        "DJANGO_ENV": "demo",  # explicitly: without it the settings are production's
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "beredskab", "worker",
        "--pool=solo", "--concurrency=1", "-Q", queue, "-n", f"{queue}@%h",
        "--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel=INFO",
    ]  # fmt: skip
    log = tmp_path / "worker.log"
    # A file, not a pipe: a chatty worker never blocks on a full pipe buffer.
    with log.open("w") as log_file:
        worker = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    output = ""
    # One broker connection for sending and cleaning up: it knows the queue's bindings.
    with app.connection_for_write(redis_url) as broker:
        try:
            app.send_task(
                "beredskab.tasks.heartbeat",
                kwargs={"name": name, "detail": "from the worker test"},
                queue=queue,
                connection=broker,
            )
            deadline = time.monotonic() + STARTUP_AND_TASK_TIMEOUT
            while not Heartbeat.objects.filter(name=name).exists():
                if worker.poll() is not None or time.monotonic() > deadline:
                    output = stop(worker, log)
                    pytest.fail(f"no heartbeat from the worker; its output:\n{output[-4000:]}")
                time.sleep(0.2)
            assert Heartbeat.objects.get(name=name).detail == "from the worker test"
        finally:
            output = output or stop(worker, log)
            broker.default_channel.queue_delete(queue)
    assert "Task beredskab.tasks.heartbeat" in output and "succeeded" in output
