"""Acknowledgements pressed while the reminder tick runs (issue 14, item 1): shared by
tests/beredskab/test_ack_during_tick.py and tests/bench/bench_ack_tick.py.

Each round starts `size` runs whose first step is past its deadline (so the tick
reminds every one of them), then presses each run's link (the real POST through the
URL, middleware and view) at a moment drawn within ±30 ms of the tick's start, from a
thread of its own with its own database connection.
"""

from __future__ import annotations

import random
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

SPREAD = 0.030  # seconds either side of the tick


@dataclass
class RoundResult:
    statuses: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    acked: int = 0
    presses: int = 0


def seed_chain():
    """A one-step chain that names one person (with a mobile) to tell."""
    from beredskab.models import EscalationChain, EscalationStep, EventKind, Person

    chain, _ = EscalationChain.objects.get_or_create(
        name="Ack under tick", defaults={"event_kind": EventKind.BREACH}
    )
    if not chain.steps.exists():
        person = Person.objects.create(name="Kvitterende leder", mobile="+4521980999")
        step = EscalationStep.objects.create(
            chain=chain, position=1, name="Leder", ack_timeout_minutes=15, by_email=False
        )
        step.notify_people.set([person])
    return chain


def start_due_runs(chain, size: int) -> list[tuple[int, str]]:
    """`size` runs started 16 minutes ago: (step pk, the link's token) for each."""
    from django.utils import timezone

    from beredskab.escalation import engine
    from beredskab.models import AckToken, RunRecipient

    past = timezone.now() - timedelta(minutes=16)
    out = []
    for _n in range(size):
        run = engine.start_run(chain, title="Kvittering under tick", now=past)
        step = run.steps.get(position=1)
        # The SMS's own token is stored only as a hash (and the sent body is redacted):
        # a second link for the same person, as the reminder would give them.
        token = secrets.token_urlsafe(16)
        AckToken.objects.create(
            recipient=RunRecipient.objects.get(step=step),
            token_hash=AckToken.hash(token),
            expires_at=timezone.now() + timedelta(hours=1),
        )
        out.append((step.pk, token))
    return out


def press_during_tick(due: list[tuple[int, str]], rng: random.Random) -> RoundResult:
    """Tick once at t0 while each link is POSTed at t0 ± 30 ms; then count."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from beredskab.escalation import engine
    from beredskab.models import RunStep, StepStatus

    result = RoundResult(presses=len(due))
    lock = threading.Lock()
    t0 = time.monotonic() + 0.25  # every thread is up and waiting by then

    def ticker() -> None:
        try:
            time.sleep(max(0.0, t0 - time.monotonic()))
            engine.tick()
        except Exception as exc:  # noqa: BLE001 - counted, the round goes on
            with lock:
                result.errors.append(f"tick: {exc!r}")
        finally:
            connection.close()

    def press(token: str, at: float) -> None:
        try:
            client = Client(raise_request_exception=False)
            time.sleep(max(0.0, at - time.monotonic()))
            status = client.post(reverse("escalation:ack", args=[token])).status_code
        except Exception as exc:  # noqa: BLE001
            status = 599
            with lock:
                result.errors.append(repr(exc))
        finally:
            connection.close()
        with lock:
            result.statuses.append(status)

    threads = [threading.Thread(target=ticker)]
    threads += [
        threading.Thread(target=press, args=(token, t0 + rng.uniform(-SPREAD, SPREAD)))
        for _step, token in due
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    steps = RunStep.objects.filter(pk__in=[step for step, _token in due])
    result.acked = steps.filter(status=StepStatus.ACKNOWLEDGED).count()
    return result
