"""What the notification benchmarks share: their own PostgreSQL database and Redis
database, Django set up in this process, workers started and always stopped, figures.

Not a pytest module (pytest collects only test_*.py). Progress goes to stderr; only
`figure()` writes to stdout, one `name=value unit` line (DESIGN.md).
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

UNITS = {"ms", "per_s", "pct", "count"}


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def figure(name: str, value: float, unit: str) -> None:
    assert unit in UNITS, unit
    text = f"{value:.0f}" if unit == "count" else f"{max(value, 0.0):.1f}"
    print(f"{name}={text} {unit}", flush=True)


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def exit_on_sigterm() -> None:
    """SIGTERM (the runner, a CI cancel) unwinds through the finally blocks: workers
    stop and the database is dropped."""

    def handler(signum, frame):  # noqa: ARG001
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, handler)


# --- PostgreSQL --------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path="/" + name))


def _admin(url: str):
    import psycopg

    return psycopg.connect(_with_database(url, "postgres"), autocommit=True)


@contextlib.contextmanager
def own_database(prefix: str):
    """Create a database of our own next to DATABASE_URL's, point this process at it,
    set Django up, migrate; drop the database at the end whatever happens."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"{prefix}: DATABASE_URL must point at PostgreSQL")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    database_url = _with_database(url, name)
    with _admin(url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    say(f"created database {name}")
    try:
        os.environ["DATABASE_URL"] = database_url
        yield database_url
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        with _admin(url) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [name],
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        say(f"dropped database {name}")


def setup_django() -> None:
    """Django in this process, for real: no eager tasks, no DEBUG query log."""
    os.environ.pop("TESTING", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "beredskab.settings"
    # The demo settings with a real worker, explicitly: the default is production.
    os.environ["DJANGO_ENV"] = "demo"
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-var-"))
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    from beredskab.celery import app

    assert not settings.TESTING and not app.conf.task_always_eager, "tasks must be published"
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    say(f"migrated in {time.monotonic() - started:.1f} s")


# --- Redis ---------------------------------------------------------------------------


@contextlib.contextmanager
def own_redis_db():
    """A Redis database nobody uses: REDIS_URL's own if it is empty, else the highest
    empty one. Celery's queues live in it, so it is flushed at the end (and only it)."""
    import redis

    url = os.environ.get("REDIS_URL", "")
    if not url.startswith("redis://"):
        raise SystemExit("REDIS_URL must point at Redis (redis://host:port/db)")
    parsed = urlparse(url)
    wanted = int(parsed.path.strip("/") or 0)
    chosen = None
    for db in [wanted, *range(15, 0, -1)]:
        client = redis.Redis.from_url(urlunparse(parsed._replace(path=f"/{db}")))
        if client.dbsize() == 0:
            chosen = db
            break
        client.close()
    if chosen is None:
        raise SystemExit("no empty Redis database to run the benchmark in")
    bench_url = urlunparse(parsed._replace(path=f"/{chosen}"))
    say(f"using Redis database {chosen}")
    os.environ["REDIS_URL"] = bench_url
    try:
        yield bench_url
    finally:
        client.flushdb()
        client.close()
        say(f"flushed Redis database {chosen}")


def drop_queues(redis_url: str) -> None:
    """Forget the tasks left in the queues by a phase (its workers are stopped). The
    bindings stay, so publishing keeps working."""
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = [
        key
        for pattern in ("escalation*", "bulk*", "celery*", "unacked*")
        for key in client.scan_iter(match=pattern)
    ]
    if keys:
        client.delete(*keys)
    client.close()


def queue_length(redis_url: str, name: str) -> int:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        return sum(client.llen(key) for key in client.scan_iter(match=f"{name}*"))
    finally:
        client.close()


# --- workers -------------------------------------------------------------------------


def worker_env(redis_url: str, fake, *, rate: float, prefix: str) -> dict[str, str]:
    return {
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": redis_url,
        "REDIS_KEY_PREFIX": prefix,
        "SMS_RATE_PER_SECOND": str(rate),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        **fake.settings(),
    }


@contextlib.contextmanager
def workers(env: dict[str, str], specs: list[tuple]):
    """Start one Celery worker per (queues, concurrency) or (queues, concurrency,
    {more CeleryWorker options}); stop them all at the end."""
    from tests.workers import CeleryWorker

    started: list = []
    try:
        for queues, concurrency, *options in specs:
            worker = CeleryWorker(
                env, queues=queues, concurrency=concurrency, **(options[0] if options else {})
            )
            started.append(worker)
            worker.start()
        say(f"workers ready: {', '.join(f'{s[0]}×{s[1]}' for s in specs)}")
        yield started
    finally:
        for worker in started:
            worker.stop()


def cancel_open_messages() -> int:
    """Leave nothing open for the next phase (its workers are stopped)."""
    from beredskab.models import OutboxMessage
    from beredskab.models.outbox import OPEN_STATUSES
    from beredskab.notify import outbox

    return outbox.cancel(OutboxMessage.objects.filter(status__in=OPEN_STATUSES)) + (
        OutboxMessage.objects.filter(status__in=OPEN_STATUSES).update(status="cancelled")
    )


# --- shared by the benchmarks that send SMS ---------------------------------------------


def provider(**options):
    """The fake Twilio server in a process of its own: in production Twilio is another
    machine, and serving a bulk send's requests here would compete with the measuring
    thread for this process's GIL."""
    from tests.fakes.twilio_server import FakeTwilioProcess

    return FakeTwilioProcess(**options)


def new_prefix(phase: str) -> str:
    """A Redis key prefix of a phase's own, so pacing state never carries over."""
    return f"bench-{uuid.uuid4().hex[:8]}-{phase}:"


def describe(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    say(
        f"  {label}: n={len(ordered)} min={ordered[0]:.0f}"
        f" median={statistics.median(ordered):.0f} p95={p95(ordered):.0f}"
        f" max={ordered[-1]:.0f} ms"
    )


def quiet(fake, redis_url: str, seconds: float = 3.0, timeout: float = 300.0) -> bool:
    """True once the bulk queue is empty and nothing reached the fake for `seconds`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = len(fake.messages)
        time.sleep(seconds)
        if len(fake.messages) == count and queue_length(redis_url, "bulk") == 0:
            return fake.wait_idle()
    return False
