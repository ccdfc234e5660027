"""Reading a booking's time from the booking system's export, in Danish local time."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from django.utils import timezone

from outages.models.system_outage import COPENHAGEN

# --- Times: "28-11-2026 10:30", "28.11.2026 10.30", "28/11/26", "2026-11-28T10:30" ---
_DMY = re.compile(
    r"^(?P<d>\d{1,2})[-./](?P<m>\d{1,2})[-./](?P<y>\d{4}|\d{2})"
    r"(?:[ T,]+(?:kl\.?\s*)?(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?)?$",
    re.IGNORECASE,
)
_YMD = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T]+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2})(?:\.\d+)?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$",
    re.IGNORECASE,
)


def parse_time(text: str) -> datetime | date | None:
    """An aware datetime (Danish local time unless the text has an offset), a date when
    the text has no time of day, or None when it cannot be read."""
    text = " ".join(text.strip().split())
    if not text:
        return None
    match = _DMY.match(text) or _YMD.match(text)
    if match is None:
        return None
    parts = match.groupdict()
    year = int(parts["y"])
    if year < 100:
        year += 2000
    try:
        day = date(year, int(parts["m"]), int(parts["d"]))
        if parts.get("H") is None:
            return day
        moment = datetime.combine(
            day, time(int(parts["H"]), int(parts["M"]), int(parts.get("S") or 0))
        )
    except ValueError:
        return None
    if parts.get("tz"):
        try:
            return datetime.fromisoformat(text.replace(" ", "T")).astimezone(COPENHAGEN)
        except ValueError:
            return None
    return moment.replace(tzinfo=COPENHAGEN)


def in_period(value: datetime | date, start: datetime, end: datetime) -> bool:
    if isinstance(value, datetime):
        return start <= value <= end
    # A date without a time of day: inside when that day touches the period.
    return (
        timezone.localtime(start, COPENHAGEN).date()
        <= value
        <= (timezone.localtime(end, COPENHAGEN).date())
    )
