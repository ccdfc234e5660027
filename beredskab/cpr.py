"""Mask Danish CPR numbers in free text before it is stored.

A CPR number is DDMMYY-SSSS. We do NOT rely on the modulus-11 check: numbers without
it have been issued since 2007. Substitute numbers add 60 to the day (61–91).
The separator is an optional dash (as typed, or as pasted from a word processor) or
space. The number must not be part of a longer run of digits: an account, a case or
an EAN number that happens to contain ten plausible digits is left alone, and so is
a number glued to other digits by a hyphen (a bank registration and account number,
5470-0101901234) or following a "+" (a phone number in international form).
"""

from __future__ import annotations

import re

MASK = "XXXXXX-XXXX"

# Hyphen-minus, the Unicode hyphens and dashes Word and phones insert, and the minus sign.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
_SEPARATOR = f"[{_DASHES} \u00a0]"

_CPR = re.compile(
    # Not the tail of a longer number: no digit, digit+dash or "+" right before.
    rf"(?<![0-9+])(?<![0-9][{_DASHES}])"
    r"(?:0[1-9]|[12][0-9]|3[01]|6[1-9]|[78][0-9]|9[01])"  # day, or day + 60
    r"(?:0[1-9]|1[0-2])"  # month
    r"[0-9]{2}"  # year
    rf"{_SEPARATOR}?"
    r"[0-9]{4}"  # serial
    # Nor the head of one: no digit or dash+digit right after.
    rf"(?![0-9])(?![{_DASHES}][0-9])"
)


def mask_cpr(text: str) -> str:
    """Replace every CPR number in `text` with XXXXXX-XXXX. Idempotent."""
    if not text:
        return text
    return _CPR.sub(MASK, text)


def contains_cpr(text: str) -> bool:
    return bool(text) and _CPR.search(text) is not None
