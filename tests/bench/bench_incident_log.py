"""Benchmark: the hændelseslog with 10,000 incidents in PostgreSQL behind gunicorn.

Prints (DESIGN.md: one `name=value unit` line per figure on stdout):
  incident_log_p95_ms           first page, 4 concurrent clients   (budget < 100 ms)
  incident_log_filtered_p95_ms  a filtered page, 4 clients         (budget < 100 ms)
  incident_log_20c_per_s        throughput at 20 clients           (no budget)
  incident_log_queries          SQL queries for one page           (a constant)

The page is the real one: a systemkoordinator's session, gunicorn with the options the
README recommends for production (GUNICORN_OPTIONS), DEBUG off, the full middleware
stack. The clients are threads in this process on plain http.client (under 1 ms of
CPU a request, printed on stderr); every request of a run counts towards its p95,
after a short warm-up of WARMUP_PER_CLIENT requests per client that does not.

Needs only DATABASE_URL (a PostgreSQL server): it creates its own database next to the
one named there, and drops it again at the end, whatever happens. Run it with
`make bench` (all benchmarks) or `uv run python tests/bench/bench_incident_log.py`.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import resource
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
WARMUP_PER_CLIENT = 10
# What the README ("Web server"), the Dockerfile and docker-compose.yml run in
# production on a 2-core server: WEB_CONCURRENCY=5 sync workers (2 x cores + 1).
GUNICORN_OPTIONS = ["--workers", "5", "--timeout", "30"]


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
    # What autovacuum does within a minute of a bulk load in production: statistics
    # and the visibility map (without them the planner guesses from an empty table).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "beredskab.auth_backend.PortalBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def count_queries(session_key: str) -> int:
    """The page's queries once the process is warm: the content types are read once per
    process, and the machinery banner's heartbeat query runs at most every 10 seconds
    (beredskab/context_processors.py), so one request in many has one more."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    client.get("/incidents/log/")  # warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/incidents/log/")
    assert response.status_code == 200, response.status_code
    return len(queries)


# --- load from outside ---------------------------------------------------------------


class Browser:
    """One client: plain http.client on a connection it keeps while the server does
    (gunicorn's sync workers close it after each answer; then the next request opens a
    new one, and that time is part of its latency). Light, so the load generator on
    this same machine takes little of the CPU it measures."""

    def __init__(self, base: str, cookie: str) -> None:
        parsed = urlparse(base)
        self.host, self.port = parsed.hostname, parsed.port
        self.headers = {"Cookie": f"sessionid={cookie}", "Accept-Encoding": "identity"}
        self.connection: http.client.HTTPConnection | None = None

    def fetch(self, path: str) -> float:
        started = time.perf_counter()
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        if response.will_close:
            self.close()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200 or b"</html>" not in body:
            raise RuntimeError(f"{path} answered {response.status}")
        return elapsed

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def run_clients(base: str, cookie: str, clients: int, work) -> None:
    errors: list[BaseException] = []

    def client() -> None:
        browser = Browser(base, cookie)
        try:
            work(browser)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            browser.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def latencies(base: str, path: str, cookie: str, clients: int, each: int) -> list[float]:
    """Every request's latency (none left out), `clients` at a time, each client sending
    its next request as soon as it has the answer to the last."""
    samples: list[float] = []
    lock = threading.Lock()

    def work(browser: Browser) -> None:
        for _ in range(each):
            ms = browser.fetch(path)
            with lock:
                samples.append(ms)

    cpu = resource.getrusage(resource.RUSAGE_SELF)
    run_clients(base, cookie, clients, work)
    after = resource.getrusage(resource.RUSAGE_SELF)
    used = (after.ru_utime - cpu.ru_utime + after.ru_stime - cpu.ru_stime) * 1000
    say(f"  {path}: {len(samples)} requests, clients' CPU {used / len(samples):.1f} ms each")
    return samples


def throughput(base: str, path: str, cookie: str, clients: int, seconds: float) -> float:
    done = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def work(browser: Browser) -> None:
        while time.monotonic() < stop:
            browser.fetch(path)
            with lock:
                done[0] += 1

    started = time.monotonic()
    run_clients(base, cookie, clients, work)
    return done[0] / (time.monotonic() - started)


@contextlib.contextmanager
def gunicorn(database_url: str):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "beredskab.settings",
        "DJANGO_ENV": "demo",  # explicitly: without it the settings are production's
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
            *GUNICORN_OPTIONS,
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
        os.environ["DJANGO_ENV"] = "demo"
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
            first = "/incidents/log/"
            filtered = "/incidents/log/?status=assessing&kind=phishing&sort=severity"
            # A short warm-up, not counted: every worker process imports its templates
            # and translations on its first requests.
            latencies(base, first, cookie, 4, WARMUP_PER_CLIENT)
            first_p95 = p95(latencies(base, first, cookie, 4, REQUESTS_PER_CLIENT))
            filtered_p95 = p95(latencies(base, filtered, cookie, 4, REQUESTS_PER_CLIENT))
            per_s = throughput(base, first, cookie, 20, THROUGHPUT_SECONDS)
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
