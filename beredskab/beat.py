"""Celery beat's scheduler, which also records that beat itself is alive."""

from __future__ import annotations

import time

from celery.beat import PersistentScheduler


class Scheduler(PersistentScheduler):
    """PersistentScheduler + a heartbeat row at most every 20 seconds."""

    _last_beat = 0.0

    def tick(self, *args, **kwargs):
        if time.monotonic() - self._last_beat > 20:
            try:
                from beredskab.machinery import beat_record

                beat_record()
                self._last_beat = time.monotonic()
            except Exception:  # noqa: BLE001 - a database hiccup must not stop the schedule
                pass
        return super().tick(*args, **kwargs)
