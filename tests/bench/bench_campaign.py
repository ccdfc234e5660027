"""Benchmark: booking cancellation by mass SMS (issue 6), with real parts: Django's
views through the test client, PostgreSQL, Celery workers in their own processes,
Redis, and the real twilio client talking to the fake Twilio server (tests/fakes),
where every sending figure is counted.

Prints (one `name=value unit` line per figure on stdout; progress on stderr):
  import_10k_ms              a 10,000-row export (Windows-1252, `;`, 4 % bad rows, a
                             tenth of the citizens with a second booking) POSTed to the
                             upload view until its preview page has rendered: read,
                             validate, store the recipients and the preview, render it.
                             Median of 5 runs, each on a new campaign (budget < 3000 ms)
  campaign_10k_enqueue_ms    the confirming POST (password checked, as the view does)
                             of a campaign with 10,000 unique mobiles, until the
                             transaction that wrote the 10,000 outbox rows has
                             committed (the moment its on-commit hand-over starts).
                             Median of 3 runs, no workers running  (budget < 2000 ms)
  campaign_10k_send_per_s    the same 10,000 SMS at an unlimited provider rate, 2 bulk
                             worker processes, first to last arrival at the fake server
  campaign_rate_error_pct    |measured − 8| / 8 × 100 over a 60 s window at the fake
                             server, with SMS_RATE_PER_SECOND=10 (a Danish alphanumeric
                             sender's rate): a campaign is bulk, and bulk may use only
                             80 % of the provider's rate (beredskab/notify/pacing.py,
                             BULK_SHARE), so its set rate is 8/s. This is how
                             bench_notify's rate_bulk_error_pct is computed too.
                                                                     (budget ≤ 5)
  campaign_kill9_lost        a 3,000-SMS campaign, one of two bulk workers SIGKILLed
  campaign_kill9_duplicates  twice mid-send and restarted, then the sweeper with `now`
                             past the leases; counted per mobile at the fake server
                                                                     (budget 0 and 0)

Needs only DATABASE_URL (PostgreSQL) and REDIS_URL: it creates and drops its own
database, and uses a Redis database nobody uses (REDIS_URL's if empty), flushed at the
end. Takes about five minutes. For a quicker look at one part, e.g.
BENCH_PHASES=import,enqueue. Run: `make bench`, or
`uv run python tests/bench/bench_campaign.py`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import traceback
import uuid
from collections import Counter
from datetime import datetime, timedelta
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

PHASES = os.environ.get("BENCH_PHASES", "import,enqueue,send,rate,kill9").split(",")
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
IMPORT_ROWS = 10_000
IMPORT_RUNS = 5
ENQUEUE_TOTAL = 10_000
ENQUEUE_RUNS = 3
RATE = 10.0  # SMS_RATE_PER_SECOND: the provider's rate for one alphanumeric sender
BULK_SHARE = 0.8  # checked against beredskab.notify.pacing.BULK_SHARE at start
RATE_WINDOW = 60.0
RATE_WARMUP = 2.0  # seconds after the first arrival before the window opens
KILL_TOTAL = 3_000
WAIT = 300.0  # the bound on every wait for messages
PAST = timedelta(minutes=1)  # how far the sweeper's `now` goes past leases and stale tasks

PASSWORD = uuid.uuid4().hex
HEADER = "Navn;Mobil;Tidspunkt;Ydelse;Sted"
TEMPLATE = (
    "Vi må desværre aflyse din tid {tider} hos {sted} pga. strømsvigt. "
    "Du kan booke en ny tid: {genbook}. Venlig hilsen Kommunen"
)
# A fixed day, so every booking's time is inside the period for sure.
DAY = (2026, 11, 28)


# --- data ----------------------------------------------------------------------------


def mobile(n: int) -> str:
    """A valid Danish mobile number, written the ways booking systems write them."""
    digits = f"{20_100_000 + n:08d}"  # 2010 xxxx: valid (2000 xxxx is not)
    shape = n % 4
    if shape == 0:
        return digits
    if shape == 1:
        return " ".join(digits[i : i + 2] for i in range(0, 8, 2))
    if shape == 2:
        return "+45 " + digits
    return f"{digits[:4]}-{digits[4:]}"


def when(n: int, *, day_offset: int = 0) -> str:
    minutes = 8 * 60 + (n * 7) % (8 * 60)  # 08:00 to 15:59
    return f"{DAY[2] + day_offset:02d}-{DAY[1]:02d}-{DAY[0]} {minutes // 60:02d}:{minutes % 60:02d}"


def export(rows: int, *, bad: bool) -> bytes:
    """A booking system's export: Windows-1252, `;`, CRLF, Danish names.

    With `bad`: in every hundred rows one has no number, one an invalid number, one a
    time outside the period, one repeats the row before (a duplicate); and one row in
    ten is a second booking of the citizen of the row before (one SMS, two times)."""
    lines = [HEADER]
    citizen = 0
    for n in range(rows):
        name = f"Søren Ærø Åberg {n}"
        number, time_text = mobile(citizen), when(n)
        if bad and n % 100 == 10:
            number = ""
        elif bad and n % 100 == 20:
            number = "12"
        elif bad and n % 100 == 30:
            time_text = when(n, day_offset=1)
        if bad and n % 100 == 40:
            lines.append(lines[-1])
            continue
        if bad and n % 10 == 5 and n % 100 not in (10, 20, 30):
            number = mobile(citizen - 1)
            time_text = when(n + 1)
        else:
            citizen += 1
        lines.append(f"{name};{number};{time_text};Pas og kørekort;Borgerservice")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def seed():
    """A frontdesk login (who imports, writes and confirms), and its test client."""
    from django.contrib.auth.models import User
    from django.test import Client

    from beredskab.grants import grant_directly
    from beredskab.models import Department, Person
    from beredskab.roles import Role

    department = Department.objects.create(name="Borgerservice")
    user = User.objects.create_user("bench-frontdesk", password=PASSWORD)
    person = Person.objects.create(
        name="Bench Frontdesk",
        department=department,
        mobile="+4521980001",  # valid, fictitious test series
        email="frontdesk@example.invalid",
        user=user,
    )
    grant_directly(person, Role.MEDARBEJDER, Role.FRONTDESK)
    client = Client()
    client.force_login(user, backend="beredskab.auth_backend.PortalBackend")
    return user, client


def new_campaign(user, label: str):
    from outages.models.system_outage import COPENHAGEN
    from outages.services import campaigns as service

    return service.start(
        user,
        period_start=datetime(*DAY, 8, 0, tzinfo=COPENHAGEN),
        period_end=datetime(*DAY, 16, 0, tzinfo=COPENHAGEN),
        place="Borgerservice",
        reason=f"Bench: {label}",
    )


def loaded_campaign(user, client, label: str, recipients: int):
    """A campaign with `recipients` unique mobiles loaded through the upload view and
    its message written: ready for the confirming POST."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from outages.services import campaigns as service

    campaign = new_campaign(user, label)
    data = export(recipients, bad=False)
    response = client.post(
        reverse("outages:campaign_import", args=[campaign.pk]),
        {"file": SimpleUploadedFile("bookinger.csv", data, content_type="text/csv")},
    )
    if response.status_code != 302 or not response["Location"].endswith("/gennemse/"):
        raise RuntimeError(f"the import answered {response.status_code}")
    if campaign.recipients.count() != recipients:
        raise RuntimeError(f"{campaign.recipients.count()} recipients, not {recipients}")
    service.compose(campaign, template=TEMPLATE, rebook="ring 70 10 20 30", actor=user)
    return campaign


class CommitClock:
    """The moment the outbox's on-commit hand-over starts: right after the COMMIT of
    the transaction that wrote the rows (Django runs on-commit hooks then). Also how
    long `outbox.enqueue` took, for the breakdown on stderr."""

    def __enter__(self):
        from beredskab.notify import outbox

        self.outbox = outbox
        self.originals = (outbox.hand_over, outbox.enqueue)
        self.times: list[float] = []
        self.enqueue_ms = 0.0

        def timed_hand_over(ids, *args, **kwargs):
            self.times.append(time.perf_counter())
            return self.originals[0](ids, *args, **kwargs)

        def timed_enqueue(*args, **kwargs):
            started = time.perf_counter()
            try:
                return self.originals[1](*args, **kwargs)
            finally:
                self.enqueue_ms += (time.perf_counter() - started) * 1000

        outbox.hand_over, outbox.enqueue = timed_hand_over, timed_enqueue
        return self

    def __exit__(self, *exc):
        self.outbox.hand_over, self.outbox.enqueue = self.originals


def confirm(client, campaign) -> tuple[float, float]:
    """The confirming POST, as the confirm page sends it. Returns (ms until the
    outbox rows' transaction committed, ms of the whole POST)."""
    from django.urls import reverse

    message = campaign.draft_message()
    with CommitClock() as clock:
        started = time.perf_counter()
        response = client.post(
            reverse("outages:campaign_confirm", args=[campaign.pk]),
            {"message": message.pk, "password": PASSWORD},
        )
        ended = time.perf_counter()
    if response.status_code != 302:
        raise RuntimeError(f"the confirming POST answered {response.status_code}")
    if len(clock.times) != 1:
        raise RuntimeError(f"{len(clock.times)} hand-overs, not one")
    commit_ms = (clock.times[0] - started) * 1000
    say(
        f"  confirming POST: committed after {commit_ms:.0f} ms, of which"
        f" outbox.enqueue {clock.enqueue_ms:.0f} ms; answered after"
        f" {(ended - started) * 1000:.0f} ms"
    )
    return commit_ms, (ended - started) * 1000


def stop_campaign(user, campaign) -> None:
    """Cancel what the phase left unsent (through the campaign's own cancel)."""
    from outages.services import campaigns as service

    try:
        service.cancel(campaign, actor=user)
    except service.AlreadyDone:
        pass


# --- import ----------------------------------------------------------------------------


def phase_import(user, client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    data = export(IMPORT_ROWS, bad=True)
    say(f"import: {IMPORT_ROWS} rows ({len(data) / 1024:.0f} KB), {IMPORT_RUNS} runs")
    samples: list[float] = []
    summary = {}
    for run in range(IMPORT_RUNS):
        campaign = new_campaign(user, f"import {run}")
        upload = SimpleUploadedFile("bookinger.csv", data, content_type="text/csv")
        started = time.perf_counter()
        response = client.post(
            reverse("outages:campaign_import", args=[campaign.pk]), {"file": upload}
        )
        if response.status_code != 302:
            raise RuntimeError(f"the upload answered {response.status_code}")
        page = client.get(response["Location"])
        samples.append((time.perf_counter() - started) * 1000)
        if page.status_code != 200 or b'id="rejected"' not in page.content:
            raise RuntimeError(f"the preview answered {page.status_code} without its rows")
        campaign.refresh_from_db()
        summary = campaign.import_summary
    say(
        f"  {summary['rows']} rows: {summary['bookings']} bookings,"
        f" {summary['unique_mobiles']} unique mobiles, {summary['rejected_count']} rejected"
    )
    describe("upload until the preview", samples)
    figure("import_10k_ms", statistics.median(samples), "ms")


# --- enqueue and send ----------------------------------------------------------------


def phase_enqueue(redis_url: str, user, client) -> None:
    from django.contrib.auth.models import User

    say(f"enqueue: {ENQUEUE_TOTAL} SMS, {ENQUEUE_RUNS} confirming POSTs, no workers")
    started = time.perf_counter()
    User.objects.get(pk=user.pk).check_password(PASSWORD)
    say(f"  (checking the password alone takes {(time.perf_counter() - started) * 1000:.0f} ms)")
    commits: list[float] = []
    posts: list[float] = []
    for run in range(ENQUEUE_RUNS):
        campaign = loaded_campaign(user, client, f"enqueue {run}", ENQUEUE_TOTAL)
        try:
            commit_ms, post_ms = confirm(client, campaign)
            rows = campaign.messages.get().planned_count
            if rows != ENQUEUE_TOTAL:
                raise RuntimeError(f"{rows} outbox rows, not {ENQUEUE_TOTAL}")
        finally:
            support.drop_queues(redis_url)
            stop_campaign(user, campaign)
        commits.append(commit_ms)
        posts.append(post_ms)
    describe("POST until the commit", commits)
    describe("the whole POST (with the hand-over to Redis)", posts)
    figure("campaign_10k_enqueue_ms", statistics.median(commits), "ms")


def phase_send(redis_url: str, user, client) -> None:
    say(f"send: {ENQUEUE_TOTAL} SMS at an unlimited rate, 2 bulk worker processes")
    campaign = loaded_campaign(user, client, "send", ENQUEUE_TOTAL)
    with provider(send_callbacks=False) as fake:
        env = support.worker_env(redis_url, fake, rate=0, prefix=new_prefix("send"))
        try:
            with support.workers(env, [("bulk", CONCURRENCY), ("bulk", CONCURRENCY)]):
                confirm(client, campaign)
                done = fake.wait_for(lambda msgs: len(msgs) >= ENQUEUE_TOTAL, timeout=WAIT)
                arrived = fake.messages
                if not done:
                    raise RuntimeError(f"only {len(arrived)} of {ENQUEUE_TOTAL} arrived")
        finally:
            support.drop_queues(redis_url)
            stop_campaign(user, campaign)
    times = sorted(m.received_at for m in arrived)
    per_s = (len(times) - 1) / (times[-1] - times[0])
    mobiles = Counter(m.to for m in arrived)
    say(
        f"  sent in {times[-1] - times[0]:.1f} s to {len(mobiles)} mobiles,"
        f" {sum(n - 1 for n in mobiles.values())} duplicates"
    )
    figure("campaign_10k_send_per_s", per_s, "per_s")


# --- pacing ----------------------------------------------------------------------------


def phase_rate(redis_url: str, user, client) -> None:
    target = RATE * BULK_SHARE
    total = int(target * (RATE_WARMUP + RATE_WINDOW + 25))
    say(
        f"rate: a campaign of {total} SMS at SMS_RATE_PER_SECOND={RATE:.0f}"
        f" (bulk's share: {target:.0f}/s), {RATE_WINDOW:.0f} s, 2 bulk worker processes"
    )
    campaign = loaded_campaign(user, client, "rate", total)
    with provider(send_callbacks=False) as fake:
        env = support.worker_env(redis_url, fake, rate=RATE, prefix=new_prefix("rate"))
        try:
            with support.workers(env, [("bulk", CONCURRENCY), ("bulk", CONCURRENCY)]):
                confirm(client, campaign)
                if not fake.wait_for(lambda msgs: len(msgs) >= 1, timeout=60):
                    raise RuntimeError("nothing arrived")
                first = fake.messages[0].received_at
                opens, closes = first + RATE_WARMUP, first + RATE_WARMUP + RATE_WINDOW
                while time.time() < closes + 0.5:
                    time.sleep(0.5)
                arrived = fake.messages
                stop_campaign(user, campaign)
        finally:
            support.drop_queues(redis_url)
            stop_campaign(user, campaign)
    if len(arrived) >= total:
        raise RuntimeError("the campaign ran out inside the window: make it larger")
    count = sum(1 for m in arrived if opens <= m.received_at < closes)
    measured = count / RATE_WINDOW
    say(
        f"  {count} SMS in {RATE_WINDOW:.0f} s = {measured:.2f}/s: target {target:.0f}/s"
        f" (bulk's share of {RATE:.0f}/s); {abs(measured - RATE) / RATE * 100:.1f} %"
        f" off the provider's whole rate, as designed"
    )
    figure("campaign_rate_error_pct", abs(measured - target) / target * 100, "pct")


# --- kill -9 -------------------------------------------------------------------------


def phase_kill9(redis_url: str, user, client) -> None:
    from django.test import override_settings
    from django.utils import timezone

    from beredskab.models import OutboxMessage
    from beredskab.models.outbox import OPEN_STATUSES
    from beredskab.notify import outbox, sweeper
    from tests.workers import CeleryWorker

    say(f"kill -9: a campaign of {KILL_TOTAL} SMS, one of two workers SIGKILLed twice")
    campaign = loaded_campaign(user, client, "kill9", KILL_TOTAL)
    expected = set(campaign.recipients.values_list("mobile", flat=True))
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
                confirm(client, campaign)
                for at in (KILL_TOTAL // 3, 2 * KILL_TOTAL // 3):
                    if not fake.wait_for(lambda msgs, at=at: len(msgs) >= at, timeout=WAIT):
                        raise RuntimeError(f"fewer than {at} arrived")
                    victim.kill()
                    say(f"  SIGKILLed a worker at {len(fake.messages)} arrivals; restarting")
                    # A new instance: a restarted one would find "ready." in its old log.
                    victim = CeleryWorker(env, queues="bulk", concurrency=CONCURRENCY)
                    running.append(victim)
                    victim.start()
                rows = OutboxMessage.objects.for_group(campaign.group_key)
                for round_ in range(1, 6):
                    if not quiet(fake, redis_url):
                        raise RuntimeError("the workers did not come to rest")
                    left = dict(
                        Counter(
                            rows.filter(status__in=OPEN_STATUSES).values_list("status", flat=True)
                        )
                    )
                    if not left:
                        break
                    # Each round further on: a reconciled row is stamped accepted at the
                    # sweeper's `now`, and the sweeper leaves queued rows alone while
                    # their queue accepted anything within QUEUED_STALE of `now`.
                    later = timezone.now() + outbox.LEASE + (outbox.QUEUED_STALE + PAST) * round_
                    counts = sweeper.sweep(now=later)
                    say(f"  sweep {round_} (open: {left}): {counts}")
                else:
                    raise RuntimeError("messages still open after five sweeps")
        finally:
            for worker in running:
                worker.stop()
            support.drop_queues(redis_url)
            stop_campaign(user, campaign)
        received = Counter(m.to for m in fake.messages)
    lost = len(expected - set(received))
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    say(f"  {len(received)} mobiles reached at the fake server, {sum(received.values())} SMS")
    figure("campaign_kill9_lost", lost, "count")
    figure("campaign_kill9_duplicates", duplicates, "count")


def main() -> int:
    support.exit_on_sigterm()
    failed: list[str] = []
    started = time.monotonic()
    # The benchmark measures 10,000-SMS campaigns sent by one person: lift the caps and
    # the second person's approval (issue 24) for it, as an operator could.
    os.environ.update(
        CAMPAIGN_MAX_RECIPIENTS="100000",
        CAMPAIGN_MAX_PER_SENDER_PER_DAY="10000000",
        CAMPAIGN_REQUIRE_APPROVAL="0",
    )
    with support.own_redis_db() as redis_url, support.own_database("bench_campaign"):
        support.setup_django()
        from beredskab.notify import pacing

        assert pacing.BULK_SHARE == BULK_SHARE, "the campaign's set rate assumes 80 %"
        user, client = seed()

        def attempt(name, phase, *args):
            try:
                return phase(*args)
            except Exception:  # noqa: BLE001 - one phase failing must not hide the others
                say(f"{name} FAILED:\n{traceback.format_exc()}")
                failed.append(name)
            finally:
                say(f"({time.monotonic() - started:.0f} s so far)")

        if "import" in PHASES:
            attempt("import", phase_import, user, client)
        if "enqueue" in PHASES:
            attempt("enqueue", phase_enqueue, redis_url, user, client)
        if "send" in PHASES:
            attempt("send", phase_send, redis_url, user, client)
        if "rate" in PHASES:
            attempt("rate", phase_rate, redis_url, user, client)
        if "kill9" in PHASES:
            attempt("kill -9", phase_kill9, redis_url, user, client)
        support.cancel_open_messages()
    if failed:
        say("failed: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
