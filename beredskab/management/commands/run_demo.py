"""Start the demo: the web server plus a real Celery worker and beat. Ctrl-C stops all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run web server, Celery worker and beat together (the demo)."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="host:port of the web server")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("run_demo is for the demo; production uses docker-compose.")
        python = sys.executable
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "DJANGO_ENV": "demo",
            # Links in the SMS and e-mails lead to where this demo answers.
            "BASE_URL": base_url_for(options["addr"]),
            # No line for every periodic job in the console (beredskab/celery.py).
            "QUIET_CONSOLE": "1",
        }
        commands = {
            # Separate workers, as in production: a mass SMS never delays an escalation.
            "worker-escalation": [
                python,
                "-m",
                "celery",
                "-A",
                "beredskab",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "-Q",
                "escalation,celery",
                "-n",
                "escalation@%h",
            ],
            # At a lower CPU priority, as in production (docker-compose.yml).
            "worker-bulk": [
                "nice",
                "-n",
                "10",
                python,
                "-m",
                "celery",
                "-A",
                "beredskab",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "-Q",
                "bulk",
                "-n",
                "bulk@%h",
            ],
            "beat": [
                python,
                "-m",
                "celery",
                "-A",
                "beredskab",
                "beat",
                "--loglevel=INFO",
                "--schedule",
                settings.CELERY_BEAT_SCHEDULE_FILENAME,
            ],
            "web": [python, "manage.py", "runserver", options["addr"], "--noreload"],
        }
        procs: dict[str, subprocess.Popen] = {}
        self._print_logins(options["addr"])
        # Ctrl-C reaches us as SIGINT; docker, systemd or `timeout` send SIGTERM or SIGHUP.
        # Either way stop all three: the children run in their own sessions (so a Ctrl-C
        # does not hit them half-way through startup) and would otherwise be orphaned.
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _interrupt)
        try:
            for name, cmd in commands.items():
                procs[name] = subprocess.Popen(cmd, env=env, start_new_session=True)
            while True:
                for name, proc in procs.items():
                    if proc.poll() is not None:
                        raise CommandError(f"{name} stopped with exit code {proc.returncode}")
                time.sleep(1)
        except KeyboardInterrupt:
            self.stdout.write("Stopping the web server, worker and beat ...")
        finally:
            # SIGTERM to each main process only: Celery then does a warm shutdown of its
            # own pool; the whole group is killed only if one does not stop in time.
            for proc in procs.values():
                if proc.poll() is None:
                    proc.terminate()
            for proc in procs.values():
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
            self.stdout.write("Stopped.")

    def _print_logins(self, addr: str) -> None:
        from beredskab.demo import DEMO_LOGINS, DEMO_PASSWORD

        self.stdout.write(f"\nBeredskabsportalen: http://{addr}/\n")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<22} {role}")
        self.stdout.write("Ctrl-C stops the web server, worker and beat.\n")


def base_url_for(addr: str) -> str:
    """http://host:port for runserver's address ("8101", "0.0.0.0:8101", "[::1]:8101")."""
    host, sep, port = addr.rpartition(":")
    if not sep:
        host, port = "", addr
    if host in {"", "0.0.0.0", "0", "[::]"}:
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def _interrupt(signum, frame):
    raise KeyboardInterrupt
