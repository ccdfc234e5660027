"""Real background processes for end-to-end tests and benchmarks: a Celery worker, a
private redis-server, and a switch that makes this process publish tasks for real.

Every wait is bounded and every process is stopped by its own id (its process group),
so a failing test can neither hang nor leave a worker behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(connection) -> str:
    """A DATABASE_URL for the database `connection` uses (e.g. pytest's test database)."""
    sd = connection.settings_dict
    user = quote(sd.get("USER") or "", safe="")
    password = quote(sd.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = sd.get("HOST") or "127.0.0.1"
    port = f":{sd['PORT']}" if sd.get("PORT") else ""
    return f"postgresql://{auth}{host}{port}/{sd['NAME']}"


def wait_until(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


class RedisServer:
    """A redis-server of our own on a free port: fault tests stop it, never the shared one."""

    def __init__(self, binary: str = "redis-server", port: int | None = None) -> None:
        self.binary = shutil.which(binary) or binary
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> RedisServer:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        if not wait_until(self.answers, timeout, 0.05):
            self.stop()
            raise RuntimeError(f"redis-server on port {self.port} did not start")
        return self

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class CeleryWorker:
    """`python -m celery -A beredskab worker` as a subprocess in its own process group.

    `env` is added to this process's environment (DATABASE_URL, REDIS_URL, SMS_BACKEND,
    ...). Ready means the worker logged "ready."; its log is kept in a file so a failing
    test can show it.
    """

    def __init__(
        self,
        env: dict[str, str],
        *,
        queues: str = "escalation,bulk",
        concurrency: int = 2,
        pool: str = "prefork",
        name: str | None = None,
        nice: int = 0,
    ) -> None:
        self.env = env
        # A lower CPU priority (`nice -n`), as docker-compose.yml runs the bulk worker.
        self.nice = nice
        self.queues = queues
        self.concurrency = concurrency
        self.pool = pool
        self.name = name or f"test-{uuid.uuid4().hex[:8]}"
        self.process: subprocess.Popen | None = None
        self.log_path = Path(tempfile.mkstemp(prefix="celery-worker-", suffix=".log")[1])

    def start(self, timeout: float = 60.0) -> CeleryWorker:
        env = {
            key: value
            for key, value in os.environ.items()
            # The worker must not believe it runs under pytest (eager tasks, locmem SMS).
            if not key.startswith(("PYTEST", "TESTING"))
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "beredskab.settings",
                # The demo, explicitly: without DJANGO_ENV the settings are production's.
                "DJANGO_ENV": "demo",
                "PYTHONPATH": str(BASE_DIR),
                "PYTHONUNBUFFERED": "1",
                "EMAIL_BACKEND": "locmem",
                "VAR_DIR": tempfile.mkdtemp(prefix="worker-var-"),
            }
        )
        env.update(self.env)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                *(["nice", "-n", str(self.nice)] if self.nice else []),
                sys.executable,
                "-m",
                "celery",
                "-A",
                "beredskab",
                "worker",
                "-Q",
                self.queues,
                f"--pool={self.pool}",
                f"--concurrency={self.concurrency}",
                "-n",
                f"{self.name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the pool children die with it
        )
        log.close()
        if not wait_until(lambda: self._ready() or self.process.poll() is not None, timeout):
            self.stop()
            raise RuntimeError(f"the Celery worker did not get ready:\n{self.log()}")
        if self.process.poll() is not None:
            raise RuntimeError(f"the Celery worker exited:\n{self.log()}")
        return self

    def _ready(self) -> bool:
        return " ready." in self.log_path.read_text(errors="replace")

    def log(self, tail: int = 60) -> str:
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-tail:])

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once: no clean-up, no acks."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self, timeout: float = 15.0) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        # Pool children of a worker that died on its own.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def __enter__(self) -> CeleryWorker:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@contextlib.contextmanager
def publishing_to(broker_url: str):
    """Make this process publish tasks to `broker_url` for real (not eagerly)."""
    from beredskab.celery import app

    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}

    def reset_pools() -> None:
        # Connections made for the old broker must not be reused for the new one. The
        # pools live in kombu's global registry (even eager tasks take a producer from
        # it), so that is reset as a whole, not closed under the app's feet.
        from kombu import pools

        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.task_always_eager = False
    app.conf.broker_url = broker_url
    reset_pools()
    try:
        yield app
    finally:
        app.conf.update(saved)
        reset_pools()


def worker_env(
    connection, broker_url: str, sms: dict[str, str], *, base_url: str = "", **extra: str
) -> dict[str, str]:
    """The environment of a worker that shares this test's database and broker."""
    env = {
        "DATABASE_URL": database_url(connection),
        "REDIS_URL": broker_url,
        # Its own pacing bucket, so parallel runs never share one.
        "REDIS_KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}:",
        "SMS_RATE_PER_SECOND": "0",
        **sms,
    }
    if base_url:
        env["BASE_URL"] = base_url
    env.update(extra)
    return env


class PostgresServer:
    """A PostgreSQL cluster of our own (initdb + pg_ctl) on a free port, trust auth, so
    fault tests and benchmarks can stop and start it; never the shared one. Run as the
    `postgres` OS user when this process is root (initdb refuses root)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.base = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.base / "data"
        self.log_path = self.base / "server.log"
        self.bindir = self._bindir()

    @staticmethod
    def _bindir() -> Path:
        found = shutil.which("pg_ctl") or shutil.which("initdb")
        if found:
            return Path(os.path.realpath(found)).parent
        candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        if not candidates:
            raise RuntimeError("initdb/pg_ctl are not installed")
        return candidates[-1]

    def _run(self, *args: str, check: bool = True, timeout: float = 120) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(
            command,
            check=check,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
            cwd=self.base,
        )

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def database_url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def init(self) -> PostgresServer:
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.base}'\nmax_connections = 100\n"
                # No fsync (this machine does not crash in a test), but every commit
                # reported is kept across a server stop: no synchronous_commit = off.
                "fsync = off\n"
            )
        return self

    def start(self, timeout: float = 60.0) -> PostgresServer:
        if not self.data.exists():
            self.init()
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-w", "start")
        if not wait_until(self.answers, timeout, 0.1):
            raise RuntimeError(f"PostgreSQL on port {self.port} did not start")
        return self

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.data.exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.destroy()
