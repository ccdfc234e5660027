"""Mask Danish CPR numbers in free text before it is stored.

A CPR number is DDMMYY-SSSS. We do NOT rely on the modulus-11 check: numbers without
it have been issued since 2007. Substitute numbers add 60 to the day (61–91).
The number must not be part of a longer run of digits (an account or case number).
"""

from __future__ import annotations

import re

MASK = "XXXXXX-XXXX"

_CPR = re.compile(
    r"(?<![\d-])"  # not the tail of a longer run of digits
    r"(?P<day>[0-3]\d|[6-9]\d)(?P<month>0[1-9]|1[0-2])(?P<year>\d\d)"
    r"[- ]?"
    r"(?P<serial>\d{4})"
    r"(?![\d])"  # nor the head of one
)


def _is_plausible(match: re.Match) -> bool:
    day = int(match["day"])
    return 1 <= day <= 31 or 61 <= day <= 91


def mask_cpr(text: str) -> str:
    if not text:
        return text
    return _CPR.sub(lambda m: MASK if _is_plausible(m) else m.group(0), text)


def contains_cpr(text: str) -> bool:
    return any(_is_plausible(m) for m in _CPR.finditer(text or ""))
