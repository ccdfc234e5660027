"""SMS providers: one interface, a registry by name, and which provider is which.

A provider sends one message and can look a message up again for reconciliation
(raising SmsError when it cannot: then the message waits, see routing.py). Two real
implementations: Twilio (twilio.py, the twilio-python client, a US processor) and
GatewayAPI (gatewayapi.py, an httpx client, an EU processor). The unit tests' and the
demo's senders ("locmem", "console") take Twilio's place where SMS_BACKEND says so.

Settings choose the primary, the secondary and which traffic may use each
(beredskab/settings_sms.py); health.py is the circuit breaker between them and
routing.py the one point where the send path picks one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from django.conf import settings

from beredskab.models.outbox import Priority
from beredskab.notify.sms import SendResult, SmsError

__all__ = ["Provider", "SendResult", "SmsError", "get", "primary", "secondary", "allowed"]


class Provider(Protocol):
    name: str
    # Keeps recipients' numbers and texts inside the EU/EEA (no chapter V transfer).
    eu: bool

    def send(
        self, to: str, body: str, *, reference: str, status_callback: str | None
    ) -> SendResult:
        """Hand one message over; `reference` is the portal's own id of the message."""
        ...

    def lookup(self, to: str, body: str, since: datetime) -> SendResult | None:
        """The message if the provider has it, None if it has not; SmsError if it
        cannot tell (down, or no search by recipient)."""
        ...


# How the banner and the README name them.
DISPLAY = {"twilio": "Twilio", "gatewayapi": "GatewayAPI", "locmem": "locmem", "console": "console"}


def display(name: str) -> str:
    return DISPLAY.get(name, name)


def get(name: str) -> Provider:
    if name == "gatewayapi":
        from beredskab.notify.providers.gatewayapi import GatewayApiProvider

        return GatewayApiProvider.configured()
    if name in ("twilio", "locmem", "console"):
        from beredskab.notify.providers.twilio import TwilioProvider

        return TwilioProvider(name)
    raise ValueError(f"unknown SMS provider {name!r}")


def primary() -> str:
    return settings.SMS_PRIMARY_PROVIDER or settings.SMS_BACKEND


def secondary() -> str:
    return settings.SMS_SECONDARY_PROVIDER


def allowed(priority: str) -> list[str]:
    """The providers this traffic may use, the primary first."""
    names = [name for name in (primary(), secondary()) if name]
    limit = (
        settings.SMS_BULK_PROVIDERS
        if priority == Priority.BULK
        else settings.SMS_ESCALATION_PROVIDERS
    )
    return [name for name in names if not limit or name in limit]
