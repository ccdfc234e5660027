"""Run every tests/bench/bench_*.py (each in its own process) and pass its figures on.

A benchmark prints one line per figure, `name=value unit` (unit: ms, per_s, pct or
count); only such lines reach stdout, so `make bench` output stays machine-readable.
Everything else a benchmark prints goes to stderr. With no benchmark present this
prints nothing and exits 0. Not a pytest module: pytest collects only test_*.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FIGURE = re.compile(r"^[a-z0-9_]+=\d+(\.\d+)? (ms|per_s|pct|count)$")
# DESIGN.md: make bench finishes within 20 minutes all together.
TIMEOUT_SECONDS = 20 * 60


def main() -> int:
    failed = []
    deadline = time.monotonic() + TIMEOUT_SECONDS
    for bench in sorted(HERE.glob("bench_*.py")):
        print(f"== {bench.name}", file=sys.stderr, flush=True)
        proc = subprocess.Popen(
            [sys.executable, str(bench)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        # A hung benchmark must not hang the run: kill it at the shared deadline.
        watchdog = threading.Timer(max(deadline - time.monotonic(), 0), proc.kill)
        watchdog.start()
        assert proc.stdout is not None
        for line in proc.stdout:
            line = line.rstrip("\n")
            if FIGURE.match(line):
                print(line, flush=True)
            else:
                print(line, file=sys.stderr, flush=True)
        code = proc.wait()
        timed_out = not watchdog.is_alive() and code != 0
        watchdog.cancel()
        if timed_out:
            code = "killed at the 20-minute limit"
        if code != 0:
            failed.append(f"{bench.name} ({code})")
    if failed:
        print("benchmarks failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
