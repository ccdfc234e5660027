"""SMS backends: console (the demo), locmem (unit tests) and twilio (production).

Each backend sends one message and can look a message up again for reconciliation:
Twilio's Messages API has no idempotency key, so a send whose outcome is unknown is
looked up before anything is re-sent.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.conf import settings

log = logging.getLogger(__name__)

# Twilio error codes that no retry will fix.
PERMANENT_ERRORS = {
    21211: "invalid number",
    21408: "region not enabled",
    21610: "recipient opted out",
    21612: "cannot route to this number",
    21614: "not a mobile number",
    21617: "body too long",
}
RATE_LIMIT_ERRORS = {20429, 14107}


@dataclass
class SendResult:
    provider_id: str
    status: str  # the provider's status word: queued, accepted, sent, delivered


class SmsError(Exception):
    def __init__(
        self,
        message: str,
        *,
        code: str = "",
        permanent: bool = False,
        rate_limited: bool = False,
        retry_after: float | None = None,
    ):
        super().__init__(message)
        self.code = code
        self.permanent = permanent
        self.rate_limited = rate_limited
        self.retry_after = retry_after


class ConsoleBackend:
    """The demo: log the message; the DEBUG page lists them from the outbox."""

    def send(self, to: str, body: str, status_callback: str | None = None) -> SendResult:
        log.info("SMS (console) to %s…: %d characters", to[:6], len(body))
        return SendResult(provider_id=f"console-{uuid.uuid4().hex}", status="delivered")

    def lookup(self, to: str, body: str, since: datetime) -> SendResult | None:
        return None


class LocmemBackend:
    """Unit tests: messages land in LocmemBackend.sent (like django.core.mail.outbox)."""

    sent: list[dict] = []
    fail_next: list[SmsError] = []

    def send(self, to: str, body: str, status_callback: str | None = None) -> SendResult:
        if LocmemBackend.fail_next:
            raise LocmemBackend.fail_next.pop(0)
        sid = f"SM{uuid.uuid4().hex}"
        LocmemBackend.sent.append({"to": to, "body": body, "sid": sid})
        return SendResult(provider_id=sid, status="accepted")

    def lookup(self, to: str, body: str, since: datetime) -> SendResult | None:
        for msg in LocmemBackend.sent:
            if msg["to"] == to and msg["body"] == body:
                return SendResult(provider_id=msg["sid"], status="accepted")
        return None


class TwilioBackend:
    def __init__(self) -> None:
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        base = getattr(settings, "TWILIO_API_BASE_URL", "")
        http_client_class = _rewriting_client_class(base) if base else TwilioHttpClient
        self.client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=http_client_class(timeout=getattr(settings, "SMS_TIMEOUT_SECONDS", 10)),
        )

    def _sender(self) -> dict:
        if settings.TWILIO_MESSAGING_SERVICE_SID:
            return {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
        return {"from_": settings.TWILIO_FROM}

    def send(self, to: str, body: str, status_callback: str | None = None) -> SendResult:
        from twilio.base.exceptions import TwilioException, TwilioRestException

        kwargs = {"to": to, "body": body, **self._sender()}
        if status_callback:
            kwargs["status_callback"] = status_callback
        try:
            message = self.client.messages.create(**kwargs)
        except TwilioRestException as exc:
            code = exc.code or 0
            if exc.status == 429 or code in RATE_LIMIT_ERRORS:
                raise SmsError("rate limited", code=str(code or 429), rate_limited=True) from None
            if code in PERMANENT_ERRORS:
                raise SmsError(PERMANENT_ERRORS[code], code=str(code), permanent=True) from None
            permanent = 400 <= exc.status < 500 and exc.status not in (408, 409)
            raise SmsError(
                (exc.msg or "provider error")[:200],
                code=str(code or exc.status),
                permanent=permanent,
            ) from None
        except TwilioException as exc:  # network errors, timeouts
            raise SmsError(f"transport: {exc.__class__.__name__}", code="transport") from None
        except OSError as exc:
            raise SmsError(f"transport: {exc.__class__.__name__}", code="transport") from None
        return SendResult(provider_id=message.sid, status=message.status or "queued")

    def lookup(self, to: str, body: str, since: datetime) -> SendResult | None:
        """Find a message we may have sent: same recipient and body, sent after `since`."""
        for message in self.client.messages.list(to=to, date_sent_after=since, limit=50):
            if (message.body or "") == body:
                return SendResult(provider_id=message.sid, status=message.status or "queued")
        return None


@cache
def _rewriting_client_class(base: str):
    """A TwilioHttpClient that sends to `base` instead of api.twilio.com (tests)."""
    from twilio.http.http_client import TwilioHttpClient

    class RewritingHttpClient(TwilioHttpClient):
        def request(self, method, url, *args, **kwargs):
            url = url.replace("https://api.twilio.com", base.rstrip("/"))
            return super().request(method, url, *args, **kwargs)

    return RewritingHttpClient


_BACKENDS = {"console": ConsoleBackend, "locmem": LocmemBackend, "twilio": TwilioBackend}


def get_backend():
    return _BACKENDS[settings.SMS_BACKEND]()
