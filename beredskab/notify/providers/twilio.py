"""Twilio as a provider: today's sender (beredskab/notify/sms.py) behind the provider
interface. The name also covers the unit tests' (locmem) and the demo's (console)
senders, which stand in for Twilio where SMS_BACKEND says so."""

from __future__ import annotations

from datetime import datetime

from beredskab.notify import sms


class TwilioProvider:
    eu = False  # Twilio Inc. is a US processor: a transfer under GDPR chapter V

    def __init__(self, name: str = "twilio") -> None:
        self.name = name
        self.backend = sms.get_backend(name)

    def send(
        self, to: str, body: str, *, reference: str, status_callback: str | None
    ) -> sms.SendResult:
        # Twilio's callback URL is the one delivery.status_callback_url() built.
        return self.backend.send(to, body, status_callback)

    def lookup(self, to: str, body: str, since: datetime) -> sms.SendResult | None:
        return self.backend.lookup(to, body, since)
