"""Fault figures (issue 14), each scenario in a process of its own with a PostgreSQL
and a redis-server of its own (tests/faults/scenarios.py), never the shared ones:

  campaign_db_outage_resume_ms   2,000-SMS campaign, PostgreSQL stopped 20 s: time
                                 from its return until the fake provider receives again
                                 (budget < 30,000 ms); campaign_db_outage_lost and
                                 campaign_db_outage_duplicates (budget 0 and 0)
  report_redis_hung_p95_ms       report POST until the receipt, Redis frozen (SIGSTOP),
                                 20 reports (budget < 2000 ms)
  healthz_during_campaign_false_alarms
                                 /healthz/full answers that were not 200, polled every
                                 second while a 3,000-SMS campaign sends (budget 0)

The figure's unit list (tests/bench/run.py) has no seconds: the resume time is printed
in ms.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench.support import figure, say  # noqa: E402

RATE = 40.0  # SMS_RATE_PER_SECOND; bulk may use 80 % of it


def scenario(*args: str) -> dict:
    say(f"faults: {' '.join(args)}")
    done = subprocess.run(
        [sys.executable, "-m", "tests.faults.scenarios", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        raise SystemExit(f"scenario {args[0]} failed ({done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    outage = scenario("db_outage", "--messages", "2000", "--outage", "20", "--rate", str(RATE))
    figure("campaign_db_outage_resume_ms", outage["resume_s"] * 1000, "ms")
    figure("campaign_db_outage_lost", outage["lost"], "count")
    figure("campaign_db_outage_duplicates", outage["duplicates"], "count")
    hung = scenario("redis_hung", "--reports", "20")
    figure("report_redis_hung_p95_ms", hung["p95_ms"], "ms")
    healthz = scenario("healthz_campaign", "--messages", "3000", "--rate", str(RATE))
    figure("healthz_during_campaign_false_alarms", healthz["false_alarms"], "count")
    return 0


if __name__ == "__main__":
    sys.exit(main())
