"""Mask Danish CPR numbers in free text before it is stored.

A CPR number is DDMMYY-SSSS. We do NOT rely on the modulus-11 check: numbers without
it have been issued since 2007. Substitute numbers add 60 to the day (61–91).
The separator is an optional dash (as typed, or as pasted from a word processor),
space, dot or slash (DDMMYY.SSSS and DDMMYY/SSSS are seen in letters and old systems).
Digits may be full-width (U+FF10-U+FF19, from Asian input methods and some PDFs) or
any other Unicode decimal digit: the text is matched on a copy with every digit made
ASCII (one character for one, so positions match) and masked in the original.
The number must not be part of a longer run of digits: an account, a case or an EAN
number that happens to contain ten plausible digits is left alone, and so is a number
glued to other digits by a hyphen (a bank registration and account number,
5470-0101901234) or following a "+" (a phone number in international form). A dot or
slash does not glue: masking "010190-1234/020290-1234" too much is the safe mistake.
"""

from __future__ import annotations

import re
import unicodedata

MASK = "XXXXXX-XXXX"

# Hyphen-minus, the Unicode hyphens and dashes Word and phones insert, the minus sign
# and the full-width hyphen-minus.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212\uff0d"
# A dash; a space (also no-break, narrow no-break, ideographic); a dot or a slash (also
# full-width).
_SEPARATOR = f"[{_DASHES} \u00a0\u202f\u3000./\uff0e\uff0f]"

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


_ANY_DIGIT = re.compile(r"\d")  # in a str pattern: every Unicode decimal digit


def _ascii_digits(text: str) -> str:
    """`text` with every decimal digit as its ASCII digit; same length, same positions."""
    return _ANY_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)


def mask_cpr(text: str) -> str:
    """Replace every CPR number in `text` with XXXXXX-XXXX. Idempotent."""
    if not text:
        return text
    plain = _ascii_digits(text)
    if plain == text:
        return _CPR.sub(MASK, text)
    parts, last = [], 0
    for match in _CPR.finditer(plain):
        parts += [text[last : match.start()], MASK]
        last = match.end()
    parts.append(text[last:])
    return "".join(parts)


def contains_cpr(text: str) -> bool:
    return bool(text) and _CPR.search(_ascii_digits(text)) is not None
