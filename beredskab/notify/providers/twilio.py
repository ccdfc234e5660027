"""Twilio as a provider: today's sender (beredskab/notify/sms.py) behind the provider
interface. The name also covers the unit tests' (locmem) and the demo's (console)
senders, which stand in for Twilio where SMS_BACKEND says so."""

from __future__ import annotations

from datetime import datetime

from beredskab.notify import sms

# Twilio refusing the account (credentials revoked, account suspended): no message can go
# through it, so this counts against its health and the message goes elsewhere instead
# of failing for good.
ACCOUNT_REFUSED = {"20003", "20005", "401", "403"}


class TwilioProvider:
    eu = False  # Twilio Inc. is a US processor: a transfer under GDPR chapter V

    def __init__(self, name: str = "twilio") -> None:
        self.name = name
        self.backend = sms.get_backend(name)

    def send(
        self, to: str, body: str, *, reference: str, status_callback: str | None
    ) -> sms.SendResult:
        # Twilio's callback URL is the one delivery.status_callback_url() built.
        try:
            return self.backend.send(to, body, status_callback)
        except sms.SmsError as exc:
            if exc.code in ACCOUNT_REFUSED:
                raise sms.SmsError(f"refused: {exc}", code=exc.code) from None
            raise

    def lookup(self, to: str, body: str, since: datetime) -> sms.SendResult | None:
        return self.backend.lookup(to, body, since)
