"""Benchmark: acknowledgements pressed while the reminder tick runs (issue 14, item 1).

Prints (one `name=value unit` line per figure on stdout; progress on stderr):
  ack_during_tick_errors     200 acknowledgements, each through the real link POST
                             (URL, middleware, view), pressed within ±30 ms of a
                             reminder tick that reminds the very same steps; the
                             answers of 500 or more                 (budget 0)
  ack_during_tick_acked_pct  the share of those steps that ended acknowledged
                                                                    (budget 100)

10 rounds of 20 runs: each round starts 20 runs whose first step is past its deadline,
then one thread ticks at t0 while 20 threads (each with its own PostgreSQL connection)
press their links at t0 ± 30 ms (tests/ack_tick.py, shared with the test).

Needs only DATABASE_URL (PostgreSQL) and REDIS_URL: it creates and drops its own
database and uses a Redis database nobody uses. Sizes: BENCH_ACK_ROUNDS, BENCH_ACK_SIZE.
Run: `make bench`, or `uv run python tests/bench/bench_ack_tick.py`.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import support  # noqa: E402
from tests.bench.support import figure, say  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ACK_ROUNDS", "10"))
SIZE = int(os.environ.get("BENCH_ACK_SIZE", "20"))


def main() -> int:
    support.exit_on_sigterm()
    with support.own_redis_db(), support.own_database("bench_ack_tick"):
        support.setup_django()
        from django.conf import settings

        from tests.ack_tick import press_during_tick, seed_chain, start_due_runs

        # django.test.Client speaks as "testserver"; the test runner would allow it.
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        chain = seed_chain()
        rng = random.Random(14)
        presses = acked = errors = 0
        for n in range(ROUNDS):
            result = press_during_tick(start_due_runs(chain, SIZE), rng)
            fives = sum(1 for status in result.statuses if status >= 500)
            errors += fives + len(result.errors)
            presses += result.presses
            acked += result.acked
            say(
                f"round {n + 1}: statuses {sorted(set(result.statuses))}, "
                f"{result.acked}/{result.presses} acknowledged, {fives} 5xx, "
                f"errors {result.errors[:3]}"
            )
        support.cancel_open_messages()
    figure("ack_during_tick_errors", errors, "count")
    figure("ack_during_tick_acked_pct", 100.0 * acked / max(presses, 1), "pct")
    return 0


if __name__ == "__main__":
    sys.exit(main())
