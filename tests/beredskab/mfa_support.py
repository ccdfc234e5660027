"""Helpers for the second-factor tests: a TOTP factor with a known secret, the code it
shows now, recovery codes."""

from __future__ import annotations

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)


def give_totp(user) -> str:
    """Bind a TOTP factor (and recovery codes) to `user`; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def totp_now(secret: str) -> str:
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter))


def wrong_code(secret: str) -> str:
    right = totp_now(secret)
    return f"{(int(right) + 1) % 10**6:06d}"


def recovery_codes(user) -> list[str]:
    return RecoveryCodes.activate(user).get_unused_codes()
