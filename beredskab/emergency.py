"""The emergency mode: for a set number of hours while Entra ID is down, any active
person with a login and a mobile in the directory signs in with a six-digit SMS code
(beredskab/sms_login.py).

A break-glass admin switches it on (1..EMERGENCY_MODE_MAX_HOURS hours, after
re-authentication); it can be switched off early. The switch, and every login made
while it is on, are on the period's timeline; the banner shows the mode to everyone.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from beredskab import timeline
from beredskab.actors import actor_text
from beredskab.client_ip import client_ip
from beredskab.models import EmergencyPeriod

timeline.register_kind(
    "emergency.on",
    gettext_lazy("Emergency mode switched on for %(hours)s hours: %(reason)s"),
)
timeline.register_kind("emergency.off", gettext_lazy("Emergency mode switched off early"))
timeline.register_kind(
    "emergency.login",
    gettext_lazy("%(login)s logged in during the emergency mode (%(method)s)"),
)

SMS_METHOD = "sms"


class EmergencyError(Exception):
    pass


def current(now: datetime | None = None) -> EmergencyPeriod | None:
    """The period in force now, if any (always read from the database)."""
    return EmergencyPeriod.objects.current(now).order_by("-starts_at").first()


def is_on(now: datetime | None = None) -> bool:
    return current(now) is not None


def switch_on(*, hours: int, reason: str, by) -> EmergencyPeriod:
    if not 1 <= hours <= settings.EMERGENCY_MODE_MAX_HOURS:
        raise EmergencyError("hours out of range")
    now = timezone.now()
    with transaction.atomic():
        # Serialises two switches at once (PostgreSQL); SQLite's writers queue anyway.
        list(EmergencyPeriod.objects.select_for_update().filter(ended_at__isnull=True))
        if current(now) is not None:
            raise EmergencyError("already on")
        period = EmergencyPeriod.objects.create(
            starts_at=now,
            ends_at=now + timedelta(hours=hours),
            reason=reason,
            started_by_text=actor_text(by),
        )
        timeline.record(
            period,
            "emergency.on",
            actor=by,
            data={"hours": hours, "reason": reason, "ends_at": period.ends_at.isoformat()},
        )
    forget_cached()
    return period


def switch_off(*, by) -> EmergencyPeriod | None:
    now = timezone.now()
    with transaction.atomic():
        period = (
            EmergencyPeriod.objects.select_for_update().current(now).order_by("-starts_at").first()
        )
        if period is None:
            return None
        period.ended_at = now
        period.ended_by_text = actor_text(by)
        period.save(update_fields=["ended_at", "ended_by_text"])
        timeline.record(period, "emergency.off", actor=by, data={})
    forget_cached()
    return period


def on_login(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: every login made while the mode is on goes on the
    period's timeline, whether by SMS code or otherwise."""
    period = current()
    if period is None:
        return
    from beredskab.sms_login import is_sms_session

    method = SMS_METHOD if request is not None and is_sms_session(request) else "password"
    address = (client_ip(request) if request is not None else None) or ""
    with transaction.atomic():
        timeline.record(
            period,
            "emergency.login",
            actor=user,
            data={"login": user.get_username(), "method": method, "address": address},
        )


# The banner asks on every page. Its answer is kept per process for a few seconds
# (like the machinery banner); the sign-in pages and SMS sessions ask the database.
CHECK_SECONDS = 0.0 if settings.TESTING else 10.0
_cached: dict = {"at": float("-inf"), "ends_at": None}


def forget_cached() -> None:
    _cached["at"] = float("-inf")


def banner_until() -> datetime | None:
    """When the mode in force ends (for the banner), or None when it is off."""
    now = time.monotonic()
    if now - _cached["at"] >= CHECK_SECONDS:
        period = current()
        _cached["ends_at"] = period.ends_at if period else None
        _cached["at"] = now
    ends_at = _cached["ends_at"]
    if ends_at is not None and ends_at <= timezone.now():
        return None
    return ends_at
