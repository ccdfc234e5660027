"""Fault scenarios that need a PostgreSQL of their own (stopped and started on purpose),
shared by tests/faults/test_db_outage.py (small) and tests/bench/bench_faults.py (the
issue's sizes). They run in a process of their own: Django is set up here against the
private cluster, so it must not be set up yet.

    python -m tests.faults.scenarios db_outage --messages 300 --outage 8 --rate 20

prints one JSON object on stdout. Progress goes to stderr. Every wait is bounded.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench import support  # noqa: E402
from tests.workers import PostgresServer, RedisServer  # noqa: E402

RESUME_WAIT = 120.0  # seconds: the bound on "until the provider receives again"


def _enqueue_bulk(total: int, group: str) -> list[int]:
    from django.db import transaction

    from beredskab.models.outbox import Priority
    from beredskab.notify import outbox

    with transaction.atomic():
        return outbox.enqueue(
            outbox.NewMessage(
                channel="sms",
                recipient=f"+4560{n:06d}",
                body=f"Din tid er aflyst ({n}).",
                idempotency_key=f"{group}:{n}",
                priority=Priority.BULK,
                group_key=group,
            )
            for n in range(total)
        )


def _sweep(now=None) -> None:
    from django.db import close_old_connections

    from beredskab.notify import sweeper

    close_old_connections()
    with contextlib.suppress(Exception):
        sweeper.sweep(now)


def _open_rows() -> int:
    from beredskab.models import OutboxMessage
    from beredskab.models.outbox import OPEN_STATUSES

    return OutboxMessage.objects.filter(status__in=OPEN_STATUSES).count()


def _explain_duplicates(fake) -> None:
    from beredskab.models import OutboxMessage

    for (to, _body), count in fake.duplicates().items():
        row = OutboxMessage.objects.filter(recipient=to).values(
            "pk", "status", "attempts", "error_code", "error", "send_started_at"
        )
        support.say(f"duplicate x{count}: {list(row)}")


def _probe_while_away(user) -> dict:
    """A campaign page and a signed Twilio callback while the database is away."""
    from django.conf import settings
    from django.test import Client
    from twilio.request_validator import RequestValidator

    client = Client(raise_request_exception=False)
    client.force_login(user)  # the session is made now, while the database answers
    yield_point = yield
    del yield_point
    page = client.get("/outages/aflysninger/")
    data = {"MessageSid": "SM" + "0" * 32, "MessageStatus": "delivered"}
    url = settings.BASE_URL + "/webhooks/twilio/status"
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(url, data)
    callback = Client(raise_request_exception=False).post(
        "/webhooks/twilio/status", data, HTTP_X_TWILIO_SIGNATURE=signature
    )
    yield {
        "campaign_page": page.status_code,
        "campaign_page_retry_after": page.get("Retry-After", ""),
        "callback": callback.status_code,
        "callback_retry_after": callback.get("Retry-After", ""),
    }


def db_outage(total: int, outage: float, rate: float, concurrency: int = 4) -> dict:
    """A bulk campaign of `total` SMS; PostgreSQL stopped for `outage` seconds once a
    tenth has gone out. Seconds from its return until the provider receives again;
    SMS lost and sent twice once everything has settled."""
    with PostgresServer() as pg, RedisServer() as redis:
        os.environ["DATABASE_URL"] = pg.create_database("faults")
        os.environ["REDIS_URL"] = redis.url
        support.setup_django()
        from django.contrib.auth.models import User
        from django.db import connections
        from django.utils import timezone

        # Any login: the campaign page needs its session, which lives in the database.
        user = User.objects.create_user("frontdesk", password="x" * 20)
        with support.provider(send_callbacks=False) as fake:
            from django.conf import settings

            for name, value in fake.settings().items():
                setattr(settings, name, value)
            env = support.worker_env(redis.url, fake, rate=rate, prefix=support.new_prefix("db"))
            with support.workers(env, [("bulk", concurrency)]):
                _enqueue_bulk(total, f"scenario-{uuid.uuid4().hex[:6]}")
                first = max(10, total // 10)
                if not fake.wait_for(lambda m: len(m) >= first, timeout=120):
                    raise RuntimeError("the campaign did not start sending")
                probe = _probe_while_away(user)
                next(probe)
                support.say(f"db_outage: {len(fake.messages)} sent; stopping PostgreSQL")
                connections.close_all()
                pg.stop()
                time.sleep(min(2.0, outage))
                answers = probe.send(None)
                support.say(f"db_outage: while away {answers}")
                time.sleep(max(outage - 2.0, 0.0))
                pg.start()
                back = time.monotonic()
                before = len(fake.messages)
                support.say(f"db_outage: PostgreSQL back after {outage:.0f} s; {before} sent")
                resumed = fake.wait_for(lambda m: len(m) > before, timeout=RESUME_WAIT)
                resume_s = time.monotonic() - back if resumed else RESUME_WAIT
                support.say(f"db_outage: sending again {resume_s:.1f} s after the return")
                deadline = time.monotonic() + 600
                while time.monotonic() < deadline:
                    _sweep()
                    if _open_rows() == 0:
                        break
                    if fake.wait_idle(quiet=5.0, timeout=6.0):
                        # Nothing moves: leases of sends cut off by the outage run out
                        # (the sweeper looks those up at the provider, never re-sends).
                        from datetime import timedelta

                        _sweep(timezone.now() + timedelta(minutes=2))
                    time.sleep(1.0)
                fake.wait_idle(quiet=2.0, timeout=30.0)
                messages = fake.messages
                recipients = {m.to for m in messages}
                _explain_duplicates(fake)
                result = {
                    "resume_s": round(resume_s, 1),
                    "lost": total - len(recipients),
                    "duplicates": len(messages) - len(recipients),
                    "open": _open_rows(),
                    **answers,
                }
        connections.close_all()
    return result


@contextlib.contextmanager
def _stack():
    """A private PostgreSQL and Redis, Django set up and migrated against them."""
    with PostgresServer() as pg, RedisServer() as redis:
        os.environ["DATABASE_URL"] = pg.create_database("faults")
        os.environ["REDIS_URL"] = redis.url
        support.setup_django()
        try:
            yield pg, redis
        finally:
            from django.db import connections

            connections.close_all()


def _reporters(count: int) -> list:
    """`count` employees of one department whose leader the breach chain reaches; one
    report each, so the per-reporter escalation limit never holds a hand-over back."""
    from django.contrib.auth.models import User

    from beredskab.grants import grant_directly
    from beredskab.models import Department, Person
    from beredskab.plan import load_chains
    from beredskab.roles import Role, sync_roles
    from incidents.plan import load_kind_chains

    sync_roles()
    load_chains()
    load_kind_chains()
    department = Department.objects.create(name="Jobcenter")
    users = []
    for n in range(count + 1):
        user = User.objects.create_user(f"person{n}", password="x" * 20)
        person = Person.objects.create(
            name=f"Person {n}", department=department, mobile=f"+452198{n:04d}", user=user
        )
        roles = (Role.MEDARBEJDER, Role.LEDER) if n == 0 else (Role.MEDARBEJDER,)
        grant_directly(person, *roles, reason="scenario")
        users.append(user)
    department.leaders.add(users[0].person)
    return users[1:]


def redis_hung(reports: int) -> dict:
    """Report POST until the receipt while Redis is frozen (SIGSTOP)."""
    import signal

    from django.test import Client

    with _stack() as (_pg, redis):
        reporters = _reporters(reports + 1)
        url = "/incidents/"
        client = Client()
        client.force_login(reporters[-1])
        client.post(url, {"description": "Opvarmning", "kind": "other"})
        samples = []
        os.kill(redis.process.pid, signal.SIGSTOP)
        try:
            for n in range(reports):
                client = Client()
                client.force_login(reporters[n])
                started = time.monotonic()
                response = client.post(url, {"description": f"Rapport {n}", "kind": "other"})
                samples.append((time.monotonic() - started) * 1000)
                if response.status_code != 302:
                    raise RuntimeError(f"report answered {response.status_code}")
        finally:
            os.kill(redis.process.pid, signal.SIGCONT)
        support.describe("report with Redis frozen", samples)
        return {"p95_ms": round(support.p95(samples), 1)}


def healthz_campaign(total: int, rate: float) -> dict:
    """/healthz/full polled every second while a bulk campaign sends normally."""
    with _stack() as (_pg, redis), support.provider(send_callbacks=False) as fake:
        from django.test import Client

        from beredskab import machinery

        env = support.worker_env(redis.url, fake, rate=rate, prefix=support.new_prefix("hz"))
        specs = [("escalation", 2), ("bulk", 4, {"nice": 10})]
        with support.workers(env, specs):
            client = Client()
            machinery.beat_record()  # beat is not running here; it checks in every 20 s
            deadline = time.monotonic() + 30
            while machinery.silent_parts() and time.monotonic() < deadline:
                time.sleep(0.5)
            _enqueue_bulk(total, "campaign:healthz")
            answers, bad, last_beat = 0, [], time.monotonic()
            deadline = time.monotonic() + 900
            while len(fake.messages) < total and time.monotonic() < deadline:
                if time.monotonic() - last_beat > 15:
                    machinery.beat_record()
                    last_beat = time.monotonic()
                response = client.get("/healthz/full")
                answers += 1
                if response.status_code != 200:
                    bad.append(response.json().get("failing"))
                time.sleep(1.0)
            support.say(f"healthz: {answers} answers, {len(fake.messages)} SMS, bad: {bad[:5]}")
            return {"false_alarms": len(bad), "answers": answers, "sent": len(fake.messages)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["db_outage", "redis_hung", "healthz_campaign"])
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--outage", type=float, default=8.0)
    parser.add_argument("--rate", type=float, default=20.0)
    options = parser.parse_args()
    support.exit_on_sigterm()
    if options.scenario == "db_outage":
        result = db_outage(options.messages, options.outage, options.rate)
    elif options.scenario == "redis_hung":
        result = redis_hung(options.reports)
    else:
        result = healthz_campaign(options.messages, options.rate)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
