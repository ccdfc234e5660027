"""The Celery app. The schedule is static, in code: periodic jobs drive time.

With REDIS_URL set the broker is Redis; if that Redis is unreachable tasks are not
silently dropped (the outbox keeps rows pending until a sweeper hands them over).
Without it (the demo) kombu's filesystem transport under var/celery/ is used, and
`make run` starts a real worker and beat, so timers always fire.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

from celery import Celery
from celery.exceptions import SecurityWarning
from celery.signals import after_setup_logger, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beredskab.settings")

# The demo often runs as root in a container or a fresh VM; Celery's warning about it
# is a page of text on every start that a demo user can do nothing about. Production
# (docker-compose.yml) runs the workers as an unprivileged user and keeps the warning.
if os.environ.get("DJANGO_ENV") == "demo":
    warnings.filterwarnings("ignore", category=SecurityWarning)

# The demo's console (`make run`, whose run_demo sets QUIET_CONSOLE=1) shows requests,
# messages and problems, not three lines for every periodic job handed out, received
# and finished (every 15 seconds).
DEMO_QUIET_LOGGERS = ("celery.app.trace", "celery.worker.strategy", "celery.beat")


@after_setup_logger.connect
def _quiet_demo_console(**kwargs) -> None:
    if os.environ.get("QUIET_CONSOLE") == "1":
        for name in DEMO_QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)


app = Celery("beredskab")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    # A report must never hang because the broker is down: hand-over is best-effort,
    # and the outbox sweeper re-sends what did not get through.
    broker_connection_timeout=1,
    task_publish_retry=False,
    broker_connection_retry_on_startup=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    beat_scheduler="beredskab.beat:Scheduler",
    # Reconnects within a second of the broker's return (beredskab/worker.py).
    worker_consumer="beredskab.worker:Consumer",
    beat_max_loop_interval=15,
    # The core's periodic jobs; each feature app adds its own from its AppConfig
    # (beredskab.extensions.contribute), before beat reads the schedule.
    beat_schedule={
        # Workers check in from their own main process (beredskab/worker.py), never
        # through a task that would wait behind a campaign; beat from its scheduler.
        # Time drives escalations: a static schedule, each job idempotent.
        "escalation-tick": {
            "task": "beredskab.escalation.tick",
            "schedule": 15.0,
            "options": {"queue": "escalation", "expires": 60},
        },
        "outbox-sweep": {
            "task": "beredskab.notify.sweep",
            "schedule": 15.0,
            "options": {"queue": "escalation", "expires": 60},
        },
        "export-timeline-heads": {
            "task": "beredskab.tasks.export_timeline_heads",
            "schedule": 24 * 60 * 60.0,
        },
        # SMS sign-in codes (emergency mode): no code text stays in the outbox.
        "purge-sms-codes": {
            "task": "beredskab.tasks.purge_sms_codes",
            "schedule": 60 * 60.0,
            "options": {"expires": 50 * 60},
        },
        # Risk assessments: the review reminder a month before; once per review date.
        "risk-review-reminders": {
            "task": "beredskab.tasks.risk_review_reminders",
            "schedule": 60 * 60.0,
            "options": {"expires": 50 * 60},
        },
    },
)
# Celery's Django fix-up closes the database connection before and after every task
# unless it is told to reuse it: a new PostgreSQL connection (a forked backend, ~15 ms)
# for every escalation message. Reuse it the way a web request does instead: before
# and after each task, CONN_MAX_AGE and CONN_HEALTH_CHECKS decide (the fix-up still
# reconnects after this many tasks).
app.conf["CELERY_DB_REUSE_MAX"] = 1000
app.autodiscover_tasks()
import beredskab.worker  # noqa: E402,F401 - the worker's check-ins (signal handlers)

app.autodiscover_tasks(["beredskab.notify", "beredskab.escalation"])


@task_prerun.connect
@task_postrun.connect
def _check_database_connections(task=None, **kwargs) -> None:
    if task is not None and getattr(task.request, "is_eager", False):
        return  # runs inside the caller's request or transaction (tests)
    from django.db import close_old_connections

    close_old_connections()


def ensure_filesystem_broker_dirs() -> None:
    """kombu's filesystem transport needs its folders to exist before it starts."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
