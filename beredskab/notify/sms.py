"""SMS backends: console (the demo), locmem (unit tests) and twilio (production).

Each backend sends one message and can look a message up again for reconciliation:
Twilio's Messages API has no idempotency key, so a send whose outcome is unknown is
looked up before anything is re-sent.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from django.conf import settings

log = logging.getLogger(__name__)

# twilio-python logs every request at INFO, with the query string (the recipient's
# number when a message is looked up): no personal data in logs, so only warnings.
_http_log = logging.getLogger(f"{__name__}.http")
_http_log.setLevel(logging.WARNING)

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
        ambiguous: bool = False,
    ):
        super().__init__(message)
        self.code = code
        self.permanent = permanent
        self.rate_limited = rate_limited
        self.retry_after = retry_after
        # The request may have reached the provider (a read timeout, a reset after
        # sending, a gateway error): the message may exist, so it must be looked up
        # before it is sent again.
        self.ambiguous = ambiguous


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


def _never_reached_provider(exc: BaseException) -> bool:
    """True when the connection was never made, so the provider cannot have the message."""
    import requests

    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError):
        # requests wraps urllib3's MaxRetryError(reason=NewConnectionError) for
        # "connection refused" and DNS failures; anything else (a reset, a remote
        # disconnect) may have happened after the request was sent.
        from urllib3.exceptions import NewConnectionError

        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        return isinstance(reason, NewConnectionError)
    return False


class TwilioBackend:
    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        base_url: str = "",
        timeout: float = 10.0,
    ) -> None:
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        http_client_class = _rewriting_client_class(base_url) if base_url else TwilioHttpClient
        self.client = Client(
            account_sid,
            auth_token,
            http_client=http_client_class(timeout=timeout, logger=_http_log),
        )

    def _sender(self) -> dict:
        if settings.TWILIO_MESSAGING_SERVICE_SID:
            return {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
        return {"from_": settings.TWILIO_FROM}

    def send(self, to: str, body: str, status_callback: str | None = None) -> SendResult:
        from twilio.base.exceptions import (
            TwilioException,
            TwilioRestException,
            TwilioServiceException,
        )

        kwargs = {"to": to, "body": body, **self._sender()}
        if status_callback:
            kwargs["status_callback"] = status_callback
        try:
            message = self.client.messages.create(**kwargs)
        except TwilioRestException as exc:
            raise _classify(exc.status, exc.code, exc.msg) from None
        except TwilioServiceException as exc:  # the newer RFC 9457 error shape
            raise _classify(exc.status, exc.code, exc.detail or exc.title) from None
        except TwilioException as exc:
            raise SmsError(f"transport: {exc.__class__.__name__}", code="transport") from None
        except OSError as exc:  # requests' errors are OSErrors: timeouts, refused, reset
            raise SmsError(
                f"transport: {exc.__class__.__name__}",
                code="transport",
                ambiguous=not _never_reached_provider(exc),
            ) from None
        return SendResult(provider_id=message.sid, status=message.status or "queued")

    def lookup(self, to: str, body: str, since: datetime) -> SendResult | None:
        """Find a message we may have sent: same recipient and body, created after `since`.

        No DateSent filter at the provider: a message Twilio has accepted but not yet
        sent (its own queue) has no date_sent and would not be listed, and a send
        would then be repeated. The newest messages to the recipient come first, so
        the window is checked here on date_created instead.
        """
        since = since.astimezone(UTC) - timedelta(seconds=5)  # clock skew
        for message in self.client.messages.stream(to=to, limit=200, page_size=50):
            created = message.date_created
            if created is not None and created < since:
                continue
            if (message.body or "") == body:
                return SendResult(provider_id=message.sid, status=message.status or "queued")
        return None


def _classify(status: int, code, text: str | None) -> SmsError:
    """An HTTP error answer from Twilio as an SmsError (rate limited, permanent, ...)."""
    try:
        code = int(code or 0)
    except (TypeError, ValueError):
        code = 0
    if status == 429 or code in RATE_LIMIT_ERRORS:
        return SmsError("rate limited", code=str(code or 429), rate_limited=True)
    if code in PERMANENT_ERRORS:
        return SmsError(PERMANENT_ERRORS[code], code=str(code), permanent=True)
    permanent = 400 <= status < 500 and status not in (408, 409)
    return SmsError(
        (text or "provider error")[:200],
        code=str(code or status),
        permanent=permanent,
        # A 5xx from a gateway in front of Twilio may come after the message was made.
        ambiguous=status >= 500,
    )


@cache
def _rewriting_client_class(base: str):
    """A TwilioHttpClient that sends to `base` instead of api.twilio.com (tests)."""
    from twilio.http.http_client import TwilioHttpClient

    class RewritingHttpClient(TwilioHttpClient):
        def request(self, method, url, *args, **kwargs):
            url = url.replace("https://api.twilio.com", base.rstrip("/"))
            return super().request(method, url, *args, **kwargs)

    return RewritingHttpClient


@cache
def _twilio_backend(account_sid: str, auth_token: str, base_url: str, timeout: float):
    # One client per process and configuration, so its HTTP session (and the TLS
    # connection to Twilio) is reused instead of opened for every message.
    return TwilioBackend(account_sid, auth_token, base_url, timeout)


def get_backend(name: str = ""):
    """The sender named `name` (twilio, locmem, console); SMS_BACKEND's by default."""
    name = name or settings.SMS_BACKEND
    if name == "twilio":
        return _twilio_backend(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            getattr(settings, "TWILIO_API_BASE_URL", ""),
            float(getattr(settings, "SMS_TIMEOUT_SECONDS", 10)),
        )
    if name == "locmem":
        return LocmemBackend()
    if name == "console":
        return ConsoleBackend()
    raise ValueError(f"unknown SMS_BACKEND {name!r}")
