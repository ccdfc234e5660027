"""Benchmark: the hændelseslog with 10,000 incidents in PostgreSQL behind gunicorn.

Prints (DESIGN.md: one `name=value unit` line per figure on stdout):
  incident_log_p95_ms           first page, 4 concurrent clients   (budget < 100 ms)
  incident_log_filtered_p95_ms  a filtered page, 4 clients         (budget < 100 ms)
  incident_log_20c_per_s        throughput at 20 clients           (no budget)
  incident_log_queries          SQL queries for one page           (a constant)

Needs only DATABASE_URL (a PostgreSQL server): it creates its own database next to the
one named there, and drops it again at the end, whatever happens. Run it with
`make bench` (all benchmarks) or `uv run python tests/bench/bench_incident_log.py`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
INCIDENTS = 10_000
REQUESTS_PER_CLIENT = 100
THROUGHPUT_SECONDS = 10.0
GUNICORN_WORKERS = 4


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_database(url: str, name: str) -> str:
    parsed = urlparse(url)
    return urlunparse(parsed._replace(path="/" + name))


def admin_connection(url: str):
    import psycopg

    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def create_database(url: str, name: str) -> None:
    with admin_connection(url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str, name: str) -> None:
    with admin_connection(url) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


# --- inside the benchmark's own database (Django set up) -----------------------------


def seed() -> str:
    """10,000 incidents across departments, kinds, statuses and systems; returns a
    session cookie of a systemkoordinator (the role that sees the whole log)."""
    import random
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from beredskab.models import Department, Person, System
    from beredskab.roles import Role
    from incidents.models import Incident, IncidentKind, IncidentStatus

    rng = random.Random(4)  # the same data every run
    departments = [Department.objects.create(name=f"Afdeling {n}") for n in range(12)]
    systems = [System.objects.create(name=f"System {n}") for n in range(20)]
    user = User.objects.create_user("bench-koordinator", password=uuid.uuid4().hex)
    person = Person.objects.create(name="Bench Koordinator", user=user, department=departments[0])
    person.roles.set(Group.objects.filter(name=Role.SYSTEMKOORDINATOR))
    user.groups.set(person.roles.all())

    now = timezone.now()
    rows = []
    for n in range(INCIDENTS):
        at = now - timedelta(minutes=53 * n)
        rows.append(
            Incident(
                reference=f"H-{timezone.localtime(at).year}-{n + 1:05d}",
                kind=rng.choice(IncidentKind.values),
                description=f"Benchmark-hændelse {n}: mail sendt til forkert modtager",
                status=rng.choice(IncidentStatus.values),
                department=rng.choice(departments),
                reporter_text=f"Medarbejder {n % 300}",
                reported_at=at,
                aware_at=at,
                personal_data=rng.choice(["yes", "no", "unknown"]),
                severity=rng.choice([None, 1, 2, 3, 4]),
            )
        )
    Incident.objects.bulk_create(rows, batch_size=2000)
    through = Incident.systems.through
    links = []
    for incident_id in Incident.objects.values_list("pk", flat=True):
        for system in rng.sample(systems, rng.randint(0, 2)):
            links.append(through(incident_id=incident_id, system_id=system.pk))
    through.objects.bulk_create(links, batch_size=5000)

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def count_queries(session_key: str) -> int:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    client.get("/incidents/log/")  # warm: the first request reads the content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/incidents/log/")
    assert response.status_code == 200, response.status_code
    return len(queries)


# --- load from outside ---------------------------------------------------------------


def fetch(url: str, cookie: str) -> float:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
    return (time.perf_counter() - started) * 1000


def latencies(url: str, cookie: str, clients: int, each: int) -> list[float]:
    samples: list[float] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def client() -> None:
        try:
            for _ in range(each):
                ms = fetch(url, cookie)
                with lock:
                    samples.append(ms)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return samples


def throughput(url: str, cookie: str, clients: int, seconds: float) -> float:
    done = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < stop:
            fetch(url, cookie)
            with lock:
                done[0] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.monotonic() - started)


@contextlib.contextmanager
def gunicorn(database_url: str):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "beredskab.settings",
        "LOG_LEVEL": "WARNING",
        "VAR_DIR": str(ROOT / "var" / "bench"),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "beredskab.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(GUNICORN_WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=sys.stderr,
        stderr=sys.stderr,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except urllib.error.HTTPError:
                break  # 503 (no worker) still means gunicorn answers
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        say("bench_incident_log: DATABASE_URL must point at PostgreSQL")
        return 2
    name = f"bench_incidents_{uuid.uuid4().hex[:8]}"
    database_url = with_database(url, name)
    create_database(url, name)
    try:
        os.environ["DATABASE_URL"] = database_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beredskab.settings")
        os.environ["DEBUG"] = "false"
        sys.path.insert(0, str(ROOT))
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        say(f"seeding {INCIDENTS} incidents into {name}")
        cookie = seed()
        queries = count_queries(cookie)
        from django.db import connections

        connections.close_all()
        with gunicorn(database_url) as base:
            first = base + "/incidents/log/"
            filtered = base + "/incidents/log/?status=assessing&kind=phishing&sort=severity"
            latencies(first, cookie, 4, 10)  # warm every worker
            first_p95 = p95(latencies(first, cookie, 4, REQUESTS_PER_CLIENT))
            filtered_p95 = p95(latencies(filtered, cookie, 4, REQUESTS_PER_CLIENT))
            per_s = throughput(first, cookie, 20, THROUGHPUT_SECONDS)
        print(f"incident_log_p95_ms={first_p95:.1f} ms", flush=True)
        print(f"incident_log_filtered_p95_ms={filtered_p95:.1f} ms", flush=True)
        print(f"incident_log_20c_per_s={per_s:.1f} per_s", flush=True)
        print(f"incident_log_queries={queries} count", flush=True)
        return 0
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        drop_database(url, name)
        say(f"dropped {name}")


if __name__ == "__main__":
    sys.exit(main())
