"""Which numbers a campaign may text: Danish ones (and the countries the setting
CAMPAIGN_ALLOWED_COUNTRIES adds), never premium-rate, toll-free, shared-cost or short
numbers, never an invalid one.

The issue: one account could text any number in the world, premium-rate included,
in the municipality's name and at its cost. Mobiles and landlines are NOT told apart:
the Danish numbering plan does not say which is which for most numbers, and a
landline simply comes back undelivered with the provider's reason.
"""

from __future__ import annotations

import re

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from beredskab.forms.fields import DEFAULT_REGION

PNT = phonenumbers.PhoneNumberType
# Number types that cost the municipality more, or reach a service rather than a person.
REFUSED_TYPES = {
    PNT.PREMIUM_RATE: "premium_rate",
    PNT.TOLL_FREE: "toll_free",
    PNT.SHARED_COST: "shared_cost",
    PNT.UAN: "shared_cost",
    PNT.PERSONAL_NUMBER: "special",
    PNT.PAGER: "special",
    PNT.VOICEMAIL: "special",
}
# The Danish plan's ranges, checked by hand too so that a metadata update of the
# phonenumbers package can never let them through: 90 premium-rate, 80 toll-free.
DANISH_PREFIXES = {"90": "premium_rate", "80": "toll_free"}

# Row reasons (the import's REASONS add these); the preview shows them in Danish.
NUMBER_REASONS = {
    "invalid_number": _("not a valid number"),
    "foreign": _("a foreign number: campaigns text Danish numbers only"),
    "country_not_allowed": _("a number in a country campaigns may not text"),
    "premium_rate": _("a premium-rate number (90 numbers): refused"),
    "toll_free": _("a toll-free number (80 numbers): refused"),
    "shared_cost": _("a shared-cost or corporate number: refused"),
    "special": _("a special service number (pager, voicemail or personal number): refused"),
    "short_code": _("a short number or short code (fewer than 8 digits, or a 1 number): refused"),
}

_DIGITS = re.compile(r"\d")


class NumberRefused(ValueError):
    """The number may not be texted by a campaign; `reason` is a NUMBER_REASONS key."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def allowed_regions() -> set[str]:
    return {DEFAULT_REGION, *settings.CAMPAIGN_ALLOWED_COUNTRIES}


def _looks_short(raw: str) -> bool:
    """3 to 7 digits written without a country code: a Danish short number (112, 1813)
    or an SMS short code (1204)."""
    text = raw.strip()
    return not text.startswith(("+", "00")) and 3 <= len(_DIGITS.findall(text)) <= 7


def check_number(raw: str) -> str:
    """The number in E.164 when a campaign may text it; raises NumberRefused."""
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise NumberRefused("short_code" if _looks_short(raw) else "invalid_number") from None
    if number.country_code == 45:
        national = phonenumbers.national_significant_number(number)
        if len(national) >= 3 and (len(national) < 8 or national.startswith("1")):
            raise NumberRefused("short_code")
        for prefix, reason in DANISH_PREFIXES.items():
            if national.startswith(prefix) and len(national) == 8:
                raise NumberRefused(reason)
    if not phonenumbers.is_valid_number(number):
        raise NumberRefused("short_code" if _looks_short(raw) else "invalid_number")
    region = phonenumbers.region_code_for_number(number)
    if region not in allowed_regions():
        raise NumberRefused(
            "country_not_allowed" if settings.CAMPAIGN_ALLOWED_COUNTRIES else "foreign"
        )
    refused = REFUSED_TYPES.get(phonenumbers.number_type(number))
    if refused:
        raise NumberRefused(refused)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def may_text(e164: str) -> bool:
    try:
        return check_number(e164) == e164
    except NumberRefused:
        return False
