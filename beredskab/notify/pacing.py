"""A send-rate limiter shared by ALL workers together (not Celery's per-worker limit).

GCRA (a token bucket without a refill loop) over two buckets: the global one at the
provider's rate, and a bulk one at 80 % of it. Escalation messages take from the
global bucket only; bulk messages must fit in both, so escalation always has at least
a fifth of the rate to itself. Redis keeps the state when REDIS_URL is set; the demo
(no Redis) keeps it in a locked file under var/.
"""

from __future__ import annotations

import fcntl
import json
import time
from functools import cache

from django.conf import settings

BULK_SHARE = 0.8
BURST_SECONDS = 0.2  # how much sending may bunch up after an idle spell

_LUA = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
local n = tonumber(ARGV[1])
local wait = 0
local tats = {}
for i = 1, n do
  local interval = tonumber(ARGV[1 + 2 * i - 1])
  local tau = tonumber(ARGV[1 + 2 * i])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  if tat - now > tau then
    local w = tat - tau - now
    if w > wait then wait = w end
  end
  tats[i] = tat + interval
end
if wait > 0 then return tostring(wait) end
for i = 1, n do
  redis.call('SET', KEYS[i], tostring(tats[i]), 'EX', 3600)
end
return '0'
"""


def _buckets(priority: str, rate: float) -> list[tuple[str, float, float]]:
    """(name, interval, tolerance) of each bucket a message of `priority` must fit."""
    out = []
    for name, share in (("global", 1.0), ("bulk", BULK_SHARE)):
        if name == "bulk" and priority != "bulk":
            continue
        interval = 1.0 / (rate * share)
        tolerance = max(0.0, BURST_SECONDS - interval)
        out.append((name, interval, tolerance))
    return out


class RedisPacer:
    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix
        self.script = self.client.register_script(_LUA)

    def try_acquire(self, priority: str, rate: float) -> float:
        buckets = _buckets(priority, rate)
        args: list = [len(buckets)]
        for _, interval, tolerance in buckets:
            args += [interval, tolerance]
        keys = [f"{self.prefix}rate:{name}" for name, _, _ in buckets]
        return float(self.script(keys=keys, args=args))


class FilePacer:
    """For the demo without Redis: the same algorithm under an exclusive file lock."""

    def __init__(self, path) -> None:
        self.path = path

    def try_acquire(self, priority: str, rate: float) -> float:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            fh.seek(0)
            try:
                state = json.loads(fh.read() or "{}")
            except ValueError:
                state = {}
            now = time.time()
            wait = 0.0
            updates = {}
            for name, interval, tolerance in _buckets(priority, rate):
                tat = max(float(state.get(name, 0.0)), now)
                if tat - now > tolerance:
                    wait = max(wait, tat - tolerance - now)
                updates[name] = tat + interval
            if wait == 0.0:
                state.update(updates)
                fh.seek(0)
                fh.truncate()
                fh.write(json.dumps(state))
            return wait


@cache
def _pacer():
    if settings.REDIS_URL:
        return RedisPacer(settings.REDIS_URL, getattr(settings, "REDIS_KEY_PREFIX", "beredskab:"))
    return FilePacer(settings.VAR_DIR / "sms-pacing.json")


def current_rate() -> float:
    return float(settings.SMS_RATE_PER_SECOND)


def acquire(priority: str, *, max_wait: float = 30.0) -> bool:
    """Block until a token for `priority` is free (True) or max_wait has passed (False)."""
    rate = current_rate()
    if rate <= 0:  # 0 means unlimited (benchmarks, a provider without a limit)
        return True
    deadline = time.monotonic() + max_wait
    while True:
        wait = _pacer().try_acquire(priority, rate)
        if wait <= 0:
            return True
        if time.monotonic() + wait > deadline:
            return False
        time.sleep(min(wait, 0.5))


def penalise(seconds: float) -> None:
    """After an HTTP 429, push every bucket's schedule back (all workers slow down)."""
    pacer = _pacer()
    if isinstance(pacer, RedisPacer):
        # The Lua script reads Redis' clock, so the penalty must be on that clock too
        # (a worker's own clock may be off by more than the penalty).
        seconds_, micros = pacer.client.time()
        now = seconds_ + micros / 1_000_000
        for name in ("global", "bulk"):
            key = f"{pacer.prefix}rate:{name}"
            current = float(pacer.client.get(key) or 0)
            pacer.client.set(key, str(max(current, now + seconds)), ex=3600)
