"""Benchmark: the escalation engine and the notification outbox (issue 3), with real
parts: Celery workers in their own processes, Redis, PostgreSQL, and the real twilio
client talking to the fake Twilio server (tests/fakes), where every figure is measured.

Prints (one `name=value unit` line per figure on stdout; progress on stderr):
  escalation_first_sms_p95_ms     POST "test this chain" → first SMS of the run at the
                                  fake server; 1 escalation worker,
                                  200 runs after 5 warm-up runs     (budget < 1000 ms)
  bulk_10k_enqueue_ms             10,000 bulk SMS in one transaction + hand-over
  bulk_10k_send_per_s             the same 10,000 at an unlimited rate, 2 bulk workers,
                                  first to last arrival at the fake server
  rate_error_pct                  |measured − 50| / 50 × 100 with SMS_RATE_PER_SECOND=50,
                                  2 worker processes, 60 s window   (budget ≤ 5)
  rate_bulk_error_pct             the same for bulk SMS alone, whose target is 80 % of
                                  the rate (40/s), over 30 s        (no budget of its own)
  escalation_during_bulk_p95_ms   as the first figure while a bulk send runs at 50/s
                                  (bulk gets at most 80 % of it)    (budget < 1000 ms)
  escalation_during_bulk_vs_idle_pct   the above / the idle figure × 100 (budget ≤ 150)
  bulk_during_escalation_per_s    what the bulk send achieved meanwhile (no budget)
  kill9_lost, kill9_duplicates    5,000 bulk SMS, one of two workers SIGKILLed twice and
                                  restarted, then the sweeper with `now` past the lease;
                                  counted at the fake server         (budget 0 and 0)

rate_error_pct is measured with escalation-priority messages: bulk alone may use only
80 % of the configured rate by design (beredskab/notify/pacing.py), so rate_bulk_error_pct
compares bulk with 40/s. A "worker process" is one `celery worker` (what
docker-compose.yml runs per queue) with CONCURRENCY pool processes.

Needs only DATABASE_URL (PostgreSQL) and REDIS_URL: it creates and drops its own
database, and uses a Redis database nobody uses (REDIS_URL's if empty), flushed at the
end. Sizes can be lowered with BENCH_ESCALATION_RUNS and BENCH_DURING_BULK_RUNS.
Run: `make bench`, or `uv run python tests/bench/bench_notify.py`.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import support  # noqa: E402
from tests.bench.support import (  # noqa: E402
    describe,
    figure,
    new_prefix,
    provider,
    quiet,
    say,
)

ESCALATION_RUNS = int(os.environ.get("BENCH_ESCALATION_RUNS", "200"))
DURING_BULK_RUNS = int(os.environ.get("BENCH_DURING_BULK_RUNS", "200"))
# For a quicker look at one part, e.g. BENCH_PHASES=rate,kill9.
PHASES = os.environ.get("BENCH_PHASES", "idle,bulk,rate,rate_bulk,mixed,kill9").split(",")
WARMUP_RUNS = 5
# Runs start at most this often, in both phases: a run texts three people, so this keeps
# escalation within the fifth of the rate that bulk leaves it (3 / 0.3 s = 10/s of 50/s).
# Back to back, runs would ask for more than that, escalation would (rightly) take
# tokens first, and the bulk send would no longer run at its rate meanwhile.
RUN_INTERVAL = 0.3
# A "worker process" is one `celery worker` (what docker-compose.yml runs per queue),
# with as many pool processes as it gives them (--concurrency=4).
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
# docker-compose.yml runs the bulk worker at a lower CPU priority (nice 10).
BULK_NICE = int(os.environ.get("BENCH_BULK_NICE", "10"))
BULK_TOTAL = 10_000
RATE = 50.0
RATE_WINDOW = 60.0
RATE_BULK_WINDOW = 30.0
RATE_WARMUP = 2.0  # seconds after the first arrival before the window opens
KILL_TOTAL = 5_000
WAIT = 300.0  # the bound on every wait for messages
PAST = timedelta(minutes=1)  # how far the sweeper's `now` goes past leases and stale tasks

BODY = (
    "Borgerservice: din tid {n} er desværre aflyst pga. et nedbrud. "
    "Du får en ny tid på SMS. Spørgsmål: ring 70 00 00 00."
)


# --- data ----------------------------------------------------------------------------


def seed():
    """A systemkoordinator login (the one who presses "test this chain") and a chain
    whose one step texts the three systemkoordinatorer."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from beredskab.grants import grant_directly
    from beredskab.models import Department, EscalationChain, EscalationStep, EventKind, Person
    from beredskab.roles import Role

    department = Department.objects.create(name="Digitalisering")
    users = []
    for n in range(3):
        user = User.objects.create_user(f"bench-koordinator-{n}", password=uuid.uuid4().hex)
        person = Person.objects.create(
            name=f"Bench Koordinator {n}",
            department=department,
            mobile=f"+45219800{n:02d}",  # valid, fictitious test series
            email=f"koordinator{n}@example.invalid",
            user=user,
        )
        grant_directly(person, Role.MEDARBEJDER, Role.SYSTEMKOORDINATOR)
        users.append(user)
    chain = EscalationChain.objects.create(name="Bench: brud", event_kind=EventKind.BREACH)
    step = EscalationStep.objects.create(
        chain=chain, position=1, name="Systemkoordinatorer", by_sms=True, by_email=False
    )
    step.notify_roles.set(Group.objects.filter(name=Role.SYSTEMKOORDINATOR))
    client = Client()
    client.force_login(users[0], backend="beredskab.auth_backend.PortalBackend")
    return client, chain


def bulk_messages(tag: str, total: int, priority: str):
    from beredskab.notify.outbox import NewMessage

    return [
        NewMessage(
            channel="sms",
            recipient=f"+4520{n:06d}",
            body=f"[{tag}] " + BODY.format(n=n),
            idempotency_key=f"bench:{tag}:{n}",
            priority=priority,
            group_key=f"bench:{tag}",
        )
        for n in range(total)
    ]


def enqueue(messages) -> float:
    """One transaction; the hand-over runs on commit. Returns milliseconds."""
    from django.db import transaction

    from beredskab.notify import outbox

    started = time.perf_counter()
    with transaction.atomic():
        outbox.enqueue(messages)
    return (time.perf_counter() - started) * 1000


# --- escalation runs -----------------------------------------------------------------


def escalation_latencies(client, chain, fake, runs: int, label: str) -> list[float]:
    """Start `runs` runs one after the other, at most one per RUN_INTERVAL; ms from the
    POST to the first SMS."""
    from django.urls import resolve, reverse

    from beredskab.models import OutboxMessage

    url = reverse("escalation:chain_test", args=[chain.pk])
    samples: list[float] = []
    posts: list[float] = []
    next_start = time.monotonic()
    for n in range(runs):
        time.sleep(max(0.0, next_start - time.monotonic()))
        next_start = time.monotonic() + RUN_INTERVAL
        seen = len(fake.messages)
        started = time.time()  # the fake stamps arrivals with time.time()
        # The form's one field is a checkbox; a browser also sends the CSRF token, so
        # the POST is never empty (the view treats an empty POST as an unbound form).
        response = client.post(url, {"include_external": ""})
        if response.status_code != 302:
            raise RuntimeError(f"test this chain answered {response.status_code}")
        posts.append((time.time() - started) * 1000)
        run_pk = resolve(response.url).kwargs["pk"]
        bodies = set(
            OutboxMessage.objects.filter(group_key=f"run:{run_pk}", channel="sms").values_list(
                "body", flat=True
            )
        )
        if not bodies:
            raise RuntimeError(f"run {run_pk} wrote no SMS")
        arrived = fake.wait_for(
            lambda msgs, seen=seen, bodies=bodies: bodies <= {m.body for m in msgs[seen:]},
            timeout=60,
        )
        if not arrived:
            raise RuntimeError(f"the SMS of run {run_pk} did not all arrive within 60 s")
        first = min(m.received_at for m in fake.messages[seen:] if m.body in bodies)
        samples.append((first - started) * 1000)
        if (n + 1) % 50 == 0:
            say(f"  {label}: {n + 1}/{runs} runs, p95 so far {support.p95(samples):.0f} ms")
    if runs > WARMUP_RUNS:
        describe(f"{label}, the POST alone", posts)
    return samples


def phase_idle(redis_url: str, client, chain) -> float:
    say(f"escalation, idle: {ESCALATION_RUNS} runs")
    with provider(send_callbacks=False) as fake:
        env = support.worker_env(redis_url, fake, rate=RATE, prefix=new_prefix("idle"))
        try:
            with support.workers(env, [("escalation", CONCURRENCY)]):
                escalation_latencies(client, chain, fake, WARMUP_RUNS, "warm-up")
                samples = escalation_latencies(client, chain, fake, ESCALATION_RUNS, "idle")
        finally:
            support.drop_queues(redis_url)
            support.cancel_open_messages()
    describe("idle", samples)
    idle = support.p95(samples)
    figure("escalation_first_sms_p95_ms", idle, "ms")
    return idle


def phase_during_bulk(redis_url: str, client, chain, idle_p95: float | None) -> None:
    from beredskab.models.outbox import Priority

    # Enough bulk for the whole phase at 40/s (80 % of 50), with room to spare.
    total = int(RATE * 0.8 * (DURING_BULK_RUNS * 0.6 + 60))
    say(f"escalation during bulk: {total} bulk SMS at {RATE:.0f}/s, {DURING_BULK_RUNS} runs")
    with provider(send_callbacks=False) as fake:
        env = support.worker_env(redis_url, fake, rate=RATE, prefix=new_prefix("mixed"))
        bulk_options = {"nice": BULK_NICE}
        specs = [
            ("escalation", CONCURRENCY),
            ("bulk", CONCURRENCY, bulk_options),
            ("bulk", CONCURRENCY, bulk_options),
        ]
        try:
            with support.workers(env, specs):
                enqueue(bulk_messages("mixed", total, Priority.BULK))
                if not fake.wait_for(lambda msgs: len(msgs) >= 100, timeout=WAIT):
                    raise RuntimeError("the bulk send did not start")
                escalation_latencies(client, chain, fake, WARMUP_RUNS, "warm-up")
                begin = time.time()
                samples = escalation_latencies(client, chain, fake, DURING_BULK_RUNS, "mixed")
                end = time.time()
                left = support.queue_length(redis_url, "bulk")
        finally:
            support.drop_queues(redis_url)
            support.cancel_open_messages()
        bulk = [m for m in fake.messages if m.body.startswith("[mixed]")]
    if not left:
        say("  WARNING: the bulk queue ran empty before the escalation runs ended")
    in_window = sum(1 for m in bulk if begin <= m.received_at <= end)
    describe("during bulk", samples)
    during = support.p95(samples)
    figure("escalation_during_bulk_p95_ms", during, "ms")
    if idle_p95:
        figure("escalation_during_bulk_vs_idle_pct", during / idle_p95 * 100, "pct")
    figure("bulk_during_escalation_per_s", in_window / (end - begin), "per_s")


# --- bulk ----------------------------------------------------------------------------


def phase_bulk_10k(redis_url: str) -> None:
    from beredskab.models.outbox import Priority

    say(f"bulk: {BULK_TOTAL} SMS at an unlimited rate, 2 worker processes")
    messages = bulk_messages("bulk10k", BULK_TOTAL, Priority.BULK)
    with provider(send_callbacks=False) as fake:
        env = support.worker_env(redis_url, fake, rate=0, prefix=new_prefix("bulk"))
        try:
            with support.workers(env, [("bulk", CONCURRENCY), ("bulk", CONCURRENCY)]):
                enqueue_ms = enqueue(messages)
                say(f"  enqueued in {enqueue_ms:.0f} ms")
                done = fake.wait_for(lambda msgs: len(msgs) >= BULK_TOTAL, timeout=WAIT)
                arrived = fake.messages
                if not done:
                    raise RuntimeError(f"only {len(arrived)} of {BULK_TOTAL} arrived")
        finally:
            support.drop_queues(redis_url)
            support.cancel_open_messages()
    times = sorted(m.received_at for m in arrived)
    per_s = (len(times) - 1) / (times[-1] - times[0])
    say(f"  sent in {times[-1] - times[0]:.1f} s, duplicates: {len(fake.duplicates())}")
    figure("bulk_10k_enqueue_ms", enqueue_ms, "ms")
    figure("bulk_10k_send_per_s", per_s, "per_s")


def phase_rate(redis_url: str, priority: str, window: float, name: str) -> None:
    """Messages of one priority, more than the rate allows, at SMS_RATE_PER_SECOND=50:
    how close the rate at the fake server comes to what is set (bulk: 80 % of it)."""
    from beredskab.models.outbox import Priority

    bulk = priority == Priority.BULK
    target = RATE * (0.8 if bulk else 1.0)
    total = int(target * (RATE_WARMUP + window + 10))
    queue = "bulk" if bulk else "escalation"
    say(f"rate: {priority} SMS at SMS_RATE_PER_SECOND={RATE:.0f}, {window:.0f} s, 2 workers")
    messages = bulk_messages(name, total, priority)
    with provider(send_callbacks=False) as fake:
        env = support.worker_env(redis_url, fake, rate=RATE, prefix=new_prefix(name))
        try:
            with support.workers(env, [(queue, CONCURRENCY), (queue, CONCURRENCY)]):
                enqueue(messages)
                if not fake.wait_for(lambda msgs: len(msgs) >= 1, timeout=60):
                    raise RuntimeError("nothing arrived")
                first = fake.messages[0].received_at
                opens, closes = first + RATE_WARMUP, first + RATE_WARMUP + window
                while time.time() < closes + 0.5:
                    time.sleep(0.5)
                arrived = fake.messages
        finally:
            support.drop_queues(redis_url)
            support.cancel_open_messages()
    count = sum(1 for m in arrived if opens <= m.received_at < closes)
    if len(arrived) >= total:
        raise RuntimeError("the queue ran empty inside the window: enqueue more")
    measured = count / window
    say(f"  {count} SMS in {window:.0f} s = {measured:.2f}/s (target {target:.0f}/s)")
    figure(f"{name}_error_pct", abs(measured - target) / target * 100, "pct")


# --- kill -9 -------------------------------------------------------------------------


def diagnose(now) -> dict:
    """Why rows are still open: what the sweeper's "is the queue moving" test sees."""
    from django.db.models import Max, Min

    from beredskab.models import OutboxMessage
    from beredskab.models.outbox import OPEN_STATUSES

    rows = OutboxMessage.objects.filter(status__in=OPEN_STATUSES)
    return {
        "sweeper_now": now.isoformat(),
        **rows.aggregate(
            Min("updated_at"), Max("updated_at"), Min("created_at"), Max("not_before")
        ),
        "claimed": OutboxMessage.objects.filter(status="claimed").count(),
        "latest_accepted": OutboxMessage.objects.aggregate(Max("accepted_at")),
    }


def phase_kill9(redis_url: str) -> None:
    from django.test import override_settings
    from django.utils import timezone

    from beredskab.models import OutboxMessage
    from beredskab.models.outbox import OPEN_STATUSES, Priority
    from beredskab.notify import outbox, sweeper
    from tests.workers import CeleryWorker

    say(f"kill -9: {KILL_TOTAL} bulk SMS, one of two workers SIGKILLed twice")
    messages = bulk_messages("kill9", KILL_TOTAL, Priority.BULK)
    expected = {m.body for m in messages}
    # A little provider latency, so a send is in flight when the kill comes.
    with provider(send_callbacks=False, latency=0.02) as fake:
        env = support.worker_env(redis_url, fake, rate=0, prefix=new_prefix("kill9"))
        running: list = []
        try:
            with override_settings(**fake.settings()):  # the sweeper here reconciles
                survivor = CeleryWorker(env, queues="bulk", concurrency=CONCURRENCY)
                running.append(survivor)
                survivor.start()
                victim = CeleryWorker(env, queues="bulk", concurrency=CONCURRENCY)
                running.append(victim)
                victim.start()
                enqueue(messages)
                for at in (KILL_TOTAL // 3, 2 * KILL_TOTAL // 3):
                    if not fake.wait_for(lambda msgs, at=at: len(msgs) >= at, timeout=WAIT):
                        raise RuntimeError(f"fewer than {at} arrived")
                    victim.kill()
                    say(f"  SIGKILLed a worker at {len(fake.messages)} arrivals; restarting")
                    # A new instance: a restarted one would find "ready." in its old log.
                    victim = CeleryWorker(env, queues="bulk", concurrency=CONCURRENCY)
                    running.append(victim)
                    victim.start()
                for round_ in range(1, 6):
                    if not quiet(fake, redis_url):
                        raise RuntimeError("the workers did not come to rest")
                    open_rows = OutboxMessage.objects.filter(status__in=OPEN_STATUSES)
                    left = dict(Counter(open_rows.values_list("status", flat=True)))
                    if not left:
                        break
                    # Each round further on: a reconciled row is stamped accepted at the
                    # sweeper's `now`, and the sweeper leaves queued rows alone while
                    # their queue accepted anything within QUEUED_STALE of `now`.
                    step = outbox.QUEUED_STALE + PAST
                    later = timezone.now() + outbox.LEASE + step * round_
                    counts = sweeper.sweep(now=later)
                    say(f"  sweep {round_} (open: {left}): {counts}")
                else:
                    say(f"  open rows after five sweeps: {diagnose(later)}")
                    raise RuntimeError("messages still open after five sweeps")
        finally:
            for worker in running:
                worker.stop()
            support.drop_queues(redis_url)
            support.cancel_open_messages()
        received = Counter(m.body for m in fake.messages)
    lost = len(expected - set(received))
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    say(f"  {len(received)} distinct SMS at the fake server, {sum(received.values())} in all")
    figure("kill9_lost", lost, "count")
    figure("kill9_duplicates", duplicates, "count")


def main() -> int:
    support.exit_on_sigterm()
    failed: list[str] = []
    started = time.monotonic()
    with support.own_redis_db() as redis_url, support.own_database("bench_notify"):
        support.setup_django()
        client, chain = seed()
        idle = None

        def attempt(name, phase, *args):
            try:
                return phase(*args)
            except Exception:  # noqa: BLE001 - one phase failing must not hide the others
                say(f"{name} FAILED:\n{traceback.format_exc()}")
                failed.append(name)
            finally:
                say(f"({time.monotonic() - started:.0f} s so far)")

        if "idle" in PHASES:
            idle = attempt("escalation idle", phase_idle, redis_url, client, chain)
        if "bulk" in PHASES:
            attempt("bulk 10k", phase_bulk_10k, redis_url)
        if "rate" in PHASES:
            attempt("rate", phase_rate, redis_url, "escalation", RATE_WINDOW, "rate")
        if "rate_bulk" in PHASES:
            attempt("bulk rate", phase_rate, redis_url, "bulk", RATE_BULK_WINDOW, "rate_bulk")
        if "mixed" in PHASES:
            attempt("escalation during bulk", phase_during_bulk, redis_url, client, chain, idle)
        if "kill9" in PHASES:
            attempt("kill -9", phase_kill9, redis_url)
    if failed:
        say("failed: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
