"""The Celery worker's side of staying alive and being seen alive.

Liveness that busy cannot fake as dead: the heartbeat of a queue's workers used to be
a task on that queue, so during a big campaign it waited behind the batches and the
bulk worker looked dead while it sent 8 SMS a second. Now the worker's main process
checks in itself: Celery's own event-loop heartbeat (`heartbeat_sent`, every 2 s,
from the consumer's loop, which keeps turning while the pool processes send) marks
the loop alive, and a small thread writes the check-in row of every queue the worker
consumes every PULSE_SECONDS while it is. A worker whose loop stops (broker gone,
process hung) stops checking in within seconds.

Reconnecting: kombu's default back-off after a lost broker connection grows 2, 4, 6 …
30 s, so a worker found Redis again up to 30 s after it returned. `Consumer` retries
every RECONNECT_MAX_INTERVAL seconds at most.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from celery.signals import heartbeat_sent, worker_init, worker_ready
from celery.worker.consumer import Consumer as CeleryConsumer

log = logging.getLogger(__name__)

PULSE_SECONDS = 5.0
# The loop counts as turning when Celery's heartbeat (every 2 s) fired this recently.
LOOP_FRESH_SECONDS = 3.0
RECONNECT_FIRST_INTERVAL = 0.5
RECONNECT_STEP = 0.5
RECONNECT_MAX_INTERVAL = 1.0
# The worker's own broker connection may wait longer on a read than a web request
# (which must answer a person quickly); see CELERY_BROKER_TRANSPORT_OPTIONS.
WORKER_SOCKET_TIMEOUT = 10


class Consumer(CeleryConsumer):
    """Celery's consumer with a short reconnect back-off (see the module's doc)."""

    def ensure_connected(self, conn):
        conn.ensure_connection = functools.partial(
            conn.ensure_connection,
            interval_start=RECONNECT_FIRST_INTERVAL,
            interval_step=RECONNECT_STEP,
            interval_max=RECONNECT_MAX_INTERVAL,
        )
        return super().ensure_connected(conn)


class _Pulse:
    def __init__(self) -> None:
        self.loop_seen = 0.0
        self.queues: list[str] = []
        self.hostname = ""
        self.thread: threading.Thread | None = None

    def loop_turned(self, **kwargs) -> None:
        self.loop_seen = time.monotonic()

    def start(self, queues: list[str], hostname: str) -> None:
        self.queues, self.hostname = queues, hostname
        if self.thread is None and queues:
            self.loop_seen = time.monotonic()
            self.thread = threading.Thread(target=self._run, name="pulse", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        from django.db import close_old_connections

        while True:
            if time.monotonic() - self.loop_seen <= LOOP_FRESH_SECONDS:
                try:
                    record(self.queues, self.hostname)
                except Exception as exc:  # noqa: BLE001 - the database away: next pulse
                    log.warning("worker check-in failed: %s", exc.__class__.__name__)
                    close_old_connections()
            time.sleep(PULSE_SECONDS)


def record(queues: list[str], hostname: str = "") -> None:
    """This worker's queues checked in now."""
    from django.utils import timezone

    from beredskab import machinery
    from beredskab.models import Heartbeat

    now = timezone.now()
    for queue in queues:
        Heartbeat.objects.update_or_create(
            name=machinery.worker_name(queue),
            defaults={"last_seen": now, "detail": hostname[:200]},
        )


_pulse = _Pulse()


@worker_init.connect
def _longer_reads_for_workers(sender=None, **kwargs) -> None:
    app = getattr(sender, "app", None)
    options = dict(getattr(app, "conf", {}).get("broker_transport_options") or {})
    if app is not None and "socket_timeout" in options:
        options["socket_timeout"] = max(options["socket_timeout"], WORKER_SOCKET_TIMEOUT)
        app.conf.broker_transport_options = options


@worker_ready.connect
def _start_pulse(sender=None, **kwargs) -> None:
    from beredskab import machinery

    consumer = sender
    try:
        names = [queue.name for queue in consumer.task_consumer.queues]
    except AttributeError:
        names = list(consumer.app.amqp.queues.consume_from or {})
    queues = [name for name in names if name in machinery.QUEUES]
    _pulse.start(queues, getattr(consumer, "hostname", "") or "")


heartbeat_sent.connect(_pulse.loop_turned, weak=False)
