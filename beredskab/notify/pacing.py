"""A send-rate limiter shared by ALL workers together (not Celery's per-worker limit).

GCRA (a token bucket without a refill loop) over two buckets: the global one at the
provider's rate, and a bulk one at 80 % of it. Escalation messages take from the
global bucket only; bulk messages must fit in both, so escalation always has at least
a fifth of the rate to itself. Redis keeps the state when REDIS_URL is set; the demo
(no Redis) keeps it in a locked file under var/.

`acquire` books a slot instead of asking again and again. An escalation message books
the earliest free slot of the global bucket, so it goes first even when the global
rate is used up: bulk only ever takes a global token that is free *now*, never one an
escalation message has booked. A bulk message books its slot in the bulk bucket (so
the bulk senders, however many, take turns without racing each other for it), sleeps
until then, and takes a free global token. One Redis call per message, whatever the
number of worker processes, instead of every waiting process asking every few
milliseconds and the winner being whoever asked first.
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

# Book the earliest slot that fits every bucket, if it is at most ARGV[2] seconds away:
# returns the seconds until the slot, or a negative number (nothing booked).
_RESERVE_LUA = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
local n = tonumber(ARGV[1])
local max_wait = tonumber(ARGV[2])
local slot = now
local tats = {}
for i = 1, n do
  local tau = tonumber(ARGV[2 + 2 * i])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  tats[i] = tat
  if tat - tau > slot then slot = tat - tau end
end
local wait = slot - now
if wait > max_wait then return tostring(-wait) end
for i = 1, n do
  local interval = tonumber(ARGV[1 + 2 * i])
  local tat = tats[i]
  if slot > tat then tat = slot end
  redis.call('SET', KEYS[i], tostring(tat + interval), 'EX', 3600)
end
return tostring(wait)
"""


def _buckets(
    priority: str, rate: float, names=("global", "bulk")
) -> list[tuple[str, float, float]]:
    """(name, interval, tolerance) of each bucket a message of `priority` must fit
    (of those in `names`)."""
    out = []
    for name, share in (("global", 1.0), ("bulk", BULK_SHARE)):
        if (name == "bulk" and priority != "bulk") or name not in names:
            continue
        interval = 1.0 / (rate * share)
        tolerance = max(0.0, BURST_SECONDS - interval)
        if name == "global" and priority == "bulk":
            # Bulk never uses the global bucket's burst allowance: that is kept for
            # escalation messages, which come several at once (one per person).
            tolerance = 0.0
        out.append((name, interval, tolerance))
    return out


class RedisPacer:
    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix
        self.script = self.client.register_script(_LUA)
        self.reserve_script = self.client.register_script(_RESERVE_LUA)

    def try_acquire(self, priority: str, rate: float, names=("global", "bulk")) -> float:
        """Take a token of every bucket `priority` must fit if all are free now (0.0);
        else take nothing and return how long until they might be."""
        buckets = _buckets(priority, rate, names)
        args: list = [len(buckets)]
        for _, interval, tolerance in buckets:
            args += [interval, tolerance]
        keys = [f"{self.prefix}rate:{name}" for name, _, _ in buckets]
        return float(self.script(keys=keys, args=args))

    def reserve(
        self, priority: str, rate: float, max_wait: float, names=("global", "bulk")
    ) -> float:
        """Book the earliest slot of the buckets in `names` if it is at most `max_wait`
        seconds away: the seconds until it, or a negative number (nothing booked)."""
        buckets = _buckets(priority, rate, names)
        args: list = [len(buckets), max_wait]
        for _, interval, tolerance in buckets:
            args += [interval, tolerance]
        keys = [f"{self.prefix}rate:{name}" for name, _, _ in buckets]
        return float(self.reserve_script(keys=keys, args=args))


class FilePacer:
    """For the demo without Redis: the same algorithm under an exclusive file lock."""

    def __init__(self, path) -> None:
        self.path = path

    def _locked(self, update):
        """Run update(state, now) under the lock; a dict it returns is the new state."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            fh.seek(0)
            try:
                state = json.loads(fh.read() or "{}")
            except ValueError:
                state = {}
            result, updates = update(state, time.time())
            if updates:
                state.update(updates)
                fh.seek(0)
                fh.truncate()
                fh.write(json.dumps(state))
            return result

    def try_acquire(self, priority: str, rate: float, names=("global", "bulk")) -> float:
        def update(state, now):
            wait = 0.0
            updates = {}
            for name, interval, tolerance in _buckets(priority, rate, names):
                tat = max(float(state.get(name, 0.0)), now)
                if tat - now > tolerance:
                    wait = max(wait, tat - tolerance - now)
                updates[name] = tat + interval
            return wait, (updates if wait == 0.0 else None)

        return self._locked(update)

    def reserve(
        self, priority: str, rate: float, max_wait: float, names=("global", "bulk")
    ) -> float:
        def update(state, now):
            buckets = _buckets(priority, rate, names)
            tats = {name: max(float(state.get(name, 0.0)), now) for name, _, _ in buckets}
            slot = max([now] + [tats[name] - tolerance for name, _, tolerance in buckets])
            wait = slot - now
            if wait > max_wait:
                return -wait, None
            return wait, {name: max(tats[name], slot) + interval for name, interval, _ in buckets}

        return self._locked(update)


@cache
def _pacer():
    if settings.REDIS_URL:
        return RedisPacer(settings.REDIS_URL, getattr(settings, "REDIS_KEY_PREFIX", "beredskab:"))
    return FilePacer(settings.VAR_DIR / "sms-pacing.json")


def current_rate() -> float:
    return float(settings.SMS_RATE_PER_SECOND)


def acquire(priority: str, *, max_wait: float = 30.0) -> bool:
    """Block until `priority` may send (True), or False when that is more than
    `max_wait` seconds away (nothing is then taken)."""
    rate = current_rate()
    if rate <= 0:  # 0 means unlimited (benchmarks, a provider without a limit)
        return True
    deadline = time.monotonic() + max_wait
    pacer = _pacer()
    if priority != "bulk":
        # The earliest slot of the global bucket, booked: ahead of every bulk message.
        wait = pacer.reserve(priority, rate, max_wait, names=("global",))
        if wait < 0:
            return False
        time.sleep(wait)
        return True
    wait = pacer.reserve(priority, rate, max_wait, names=("bulk",))
    if wait < 0:
        return False
    time.sleep(wait)
    # Bulk's turn has come; the global token is taken only if free now, so a booked
    # escalation slot is never taken. (A booked bulk slot left unused, when this gives
    # up, only makes bulk a little slower.)
    while True:
        wait = pacer.try_acquire(priority, rate, names=("global",))
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
