"""Benchmark: failover from the primary SMS provider (Twilio) to the secondary
(GatewayAPI), with real parts: Celery workers in their own processes, Redis,
PostgreSQL, the real twilio client against the fake Twilio server and the real httpx
client against the fake GatewayAPI server (tests/fakes), where every figure is counted.

Prints (one `name=value unit` line per figure on stdout; progress on stderr):
  failover_first_sms_p95_ms   POST "test this chain" → first SMS of the run accepted by
                              the secondary, with the primary's fake answering 500 from
                              the start; 1 escalation worker, 200 runs after 5 warm-up
                              runs (the first run's unknown sends are reconciled by the
                              sweeper, as beat runs it)                 (budget < 2000 ms)
  failover_lost               2,000 escalation SMS, the primary killed mid-run (its front
  failover_duplicates         end cut: requests in flight reset, new ones refused) and
                              restarted; counted at both fake servers   (budget 0 and 0)
  failover_maybe_duplicate    of those, sent through the secondary marked "may be a
                              duplicate" (counted separately, no budget)
  failover_to_secondary       of those, accepted by the secondary (no budget)

The fake servers run in this process (their side is light next to the workers'); the
primary sits behind a cut-able TCP proxy (tests/fakes/tcp_proxy.py), so its messages
survive the outage as a real provider's would. Between the sweeps that beat would run,
nothing moves time: the sweeper runs every SWEEP_EVERY seconds with the real clock.

Needs only DATABASE_URL (PostgreSQL) and REDIS_URL, like bench_notify.py.
Run: `uv run python tests/bench/bench_failover.py`.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import support  # noqa: E402
from tests.bench.support import describe, figure, new_prefix, say  # noqa: E402

RUNS = int(os.environ.get("BENCH_FAILOVER_RUNS", "200"))
TOTAL = int(os.environ.get("BENCH_FAILOVER_TOTAL", "2000"))
PHASES = os.environ.get("BENCH_PHASES", "first,kill").split(",")
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
RATE = 50.0
SWEEP_EVERY = 5.0
CUT_AT = TOTAL // 4  # arrivals (both servers) when the primary is cut
CUT_FOR = 8.0  # seconds the primary stays down
WAIT = 600.0


class Sweeper:
    """What beat does in production: the sweeper every few seconds, in a thread."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.counts: Counter = Counter()

    def _loop(self) -> None:
        from django.db import connection

        from beredskab.notify import sweeper

        while not self.stopping.wait(SWEEP_EVERY):
            try:
                self.counts.update(sweeper.sweep())
            except Exception:  # noqa: BLE001 - the next round tries again
                say(f"  sweep failed: {traceback.format_exc(limit=1)}")
        connection.close()

    def __enter__(self) -> Sweeper:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.thread.join(timeout=60)


def env_for(redis_url: str, twilio, proxy, gateway, phase: str, **extra) -> dict[str, str]:
    env = support.worker_env(redis_url, twilio, rate=RATE, prefix=new_prefix(phase))
    env.update(
        {
            "TWILIO_API_BASE_URL": proxy.url,  # Twilio behind the cut-able proxy
            **gateway.settings(),
            "SMS_PRIMARY_PROVIDER": "twilio",
            "SMS_SECONDARY_PROVIDER": "gatewayapi",
            "SMS_TIMEOUT_SECONDS": "5",
            # bench_notify.escalation_latencies reads a run's bodies after the POST; a
            # message sent before that read has its ack link masked in the row, and its
            # body would never match the one that arrived (the run would seem lost).
            "OUTBOX_REDACT_ACK_LINKS": "false",
            **extra,
        }
    )
    return env


def configure_here(env: dict[str, str]) -> None:
    """This process (the sweeper's lookups and hand-overs) uses the same providers."""
    from django.conf import settings

    for name in (
        "TWILIO_API_BASE_URL",
        "GATEWAYAPI_API_BASE_URL",
        "GATEWAYAPI_TOKEN",
        "GATEWAYAPI_WEBHOOK_SECRET",
        "SMS_PRIMARY_PROVIDER",
        "SMS_SECONDARY_PROVIDER",
    ):
        setattr(settings, name, env[name])
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"):
        setattr(settings, name, env[name])
    settings.SMS_BACKEND = "twilio"


def fresh_health() -> None:
    from beredskab.models import ProviderHealth

    ProviderHealth.objects.all().delete()


def diagnose() -> None:
    """The providers' switches and the messages still open (on stderr)."""
    from beredskab.models import OutboxMessage, TimelineEvent
    from beredskab.models.outbox import OPEN_STATUSES

    switches = Counter(
        f"{e.subject_text}: {e.kind}"
        for e in TimelineEvent.objects.filter(subject_type="beredskab.providerhealth")
    )
    say(f"  provider switches: {dict(switches)}")
    for row in OutboxMessage.objects.filter(status__in=OPEN_STATUSES)[:20]:
        say(
            f"  open #{row.pk}: {row.status} at {row.provider or '-'}, attempts {row.attempts},"
            f" error {row.error_code or '-'}, not before {row.not_before}"
        )


def phase_first(redis_url: str, client, chain, twilio, proxy, gateway) -> None:
    from tests.bench import bench_notify

    say(f"failover, first SMS: the primary answers 500 from the start; {RUNS} runs")
    twilio.server_error_next(10**9)
    fresh_health()
    env = env_for(redis_url, twilio, proxy, gateway, "first")
    configure_here(env)
    try:
        with support.workers(env, [("escalation", CONCURRENCY)]), Sweeper() as sweeps:
            bench_notify.escalation_latencies(
                client, chain, gateway, bench_notify.WARMUP_RUNS, "warm-up"
            )
            samples = bench_notify.escalation_latencies(client, chain, gateway, RUNS, "failover")
    except Exception:
        diagnose()
        raise
    finally:
        twilio.server_error_next(0)
        support.drop_queues(redis_url)
        support.cancel_open_messages()
    say(f"  sweeps: {dict(sweeps.counts)}; at Twilio: {len(twilio.messages)}")
    diagnose()
    describe("failover", samples)
    figure("failover_first_sms_p95_ms", support.p95(samples), "ms")


def phase_kill(redis_url: str, twilio, proxy, gateway) -> None:
    from django.db import transaction

    from beredskab.models import OutboxMessage
    from beredskab.models.outbox import OPEN_STATUSES, Priority
    from beredskab.notify import outbox
    from tests.bench.bench_notify import bulk_messages

    say(f"failover, kill: {TOTAL} escalation SMS, the primary cut after {CUT_AT} for {CUT_FOR} s")
    fresh_health()
    # Probe again soon, so traffic returns to the primary within the run.
    env = env_for(redis_url, twilio, proxy, gateway, "kill", SMS_HEALTH_PROBE_AFTER_SECONDS="5")
    configure_here(env)
    messages = bulk_messages("kill", TOTAL, Priority.ESCALATION)
    expected = {(m.recipient, m.body) for m in messages}
    seen_twilio, seen_gateway = len(twilio.messages), len(gateway.messages)

    def arrived() -> int:
        return len(twilio.messages) - seen_twilio + len(gateway.messages) - seen_gateway

    try:
        with support.workers(env, [("escalation", CONCURRENCY)]), Sweeper() as sweeps:
            with transaction.atomic():
                outbox.enqueue(messages)
            deadline = time.monotonic() + WAIT
            while arrived() < CUT_AT and time.monotonic() < deadline:
                time.sleep(0.05)
            proxy.cut()
            say(f"  cut the primary at {arrived()} arrivals")
            time.sleep(CUT_FOR)
            proxy.restore()
            say(f"  restored the primary at {arrived()} arrivals")
            keys = [m.idempotency_key for m in messages]
            while time.monotonic() < deadline:
                left = OutboxMessage.objects.filter(
                    idempotency_key__in=keys, status__in=OPEN_STATUSES
                ).count()
                if not left:
                    break
                time.sleep(1.0)
            else:
                raise RuntimeError(f"{left} messages still open after {WAIT:.0f} s")
    finally:
        support.drop_queues(redis_url)
        support.cancel_open_messages()
    rows = OutboxMessage.objects.filter(idempotency_key__startswith="bench:kill:")
    maybe = {(r.recipient, r.body) for r in rows.filter(maybe_duplicate=True)}
    at_twilio = [(m.to, m.body) for m in twilio.messages[seen_twilio:]]
    at_gateway = [(m.to, m.body) for m in gateway.messages[seen_gateway:]]
    received = Counter(at_twilio + at_gateway)
    lost = len(expected - set(received))
    duplicates = sum(n - 1 for key, n in received.items() if n > 1 and key not in maybe)
    say(
        f"  sweeps: {dict(sweeps.counts)}; at Twilio {len(at_twilio)}, at GatewayAPI"
        f" {len(at_gateway)}; statuses {rows.counts_by_status()}"
    )
    figure("failover_lost", lost, "count")
    figure("failover_duplicates", duplicates, "count")
    figure("failover_maybe_duplicate", len(maybe), "count")
    figure("failover_to_secondary", len(at_gateway), "count")


def main() -> int:
    from tests.bench.bench_notify import seed
    from tests.fakes import FakeGatewayApi, FakeTwilio
    from tests.fakes.tcp_proxy import CutProxy

    support.exit_on_sigterm()
    failed: list[str] = []
    started = time.monotonic()
    with (
        support.own_redis_db() as redis_url,
        support.own_database("bench_failover"),
        FakeTwilio(send_callbacks=False) as twilio,
        FakeGatewayApi() as gateway,
    ):
        proxy = CutProxy(twilio.url).start()
        support.setup_django()
        client, chain = seed()

        def attempt(name, phase, *args):
            try:
                return phase(*args)
            except Exception:  # noqa: BLE001 - one phase failing must not hide the others
                say(f"{name} FAILED:\n{traceback.format_exc()}")
                failed.append(name)
            finally:
                say(f"({time.monotonic() - started:.0f} s so far)")

        try:
            if "first" in PHASES:
                attempt("first", phase_first, redis_url, client, chain, twilio, proxy, gateway)
            if "kill" in PHASES:
                attempt("kill", phase_kill, redis_url, twilio, proxy, gateway)
        finally:
            proxy.cut()
    if failed:
        say("failed: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
