"""GatewayAPI (OnlineCity, Denmark): an EU SMS gateway, reached with httpx over its
documented REST API (no maintained Python client exists; see pyproject.toml).

- Send: POST {base}/rest/mtsms with the API token as the HTTP Basic user name, JSON
  {"sender", "message", "recipients": [{"msisdn": 45...}], "userref", "callback_url"};
  200 answers {"ids": [...]}; 400/422 are the message's fault, 401/403 the account's,
  429 a rate limit, 5xx an error after which the message may exist.
- Delivery reports: POSTed to the callback URL, with the same fields signed as a JWT
  (HS256, the webhook's secret) in the X-Gwapi-Signature header (webhook_gatewayapi.py).
- Lookup: the API reads a message by its id only, so a send whose id never came back
  cannot be looked up; its delivery report (with our userref) reconciles it instead.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import cache

import httpx
from django.conf import settings
from django.urls import reverse

from beredskab.models.outbox import Status
from beredskab.notify.sms import SendResult, SmsError

log = logging.getLogger(__name__)

# GatewayAPI's delivery states, in the words of the outbox's status mapping (Twilio's
# vocabulary: callbacks.apply_provider_status). Unknown words map to None: ignored.
STATUS_WORDS = {
    "SCHEDULED": "scheduled",
    "BUFFERED": "accepted",
    "ENROUTE": "sent",
    "DELIVERED": "delivered",
    # The network accepted it on the recipient's behalf: final, as good as delivered.
    "ACCEPTED": "delivered",
    "EXPIRED": "undelivered",
    "UNDELIVERABLE": "undelivered",
    "REJECTED": "undelivered",
    "SKIPPED": "undelivered",
    "DELETED": "failed",
}
# Our outbox status for each word (what the webhook moves a message to).
OUTBOX_STATUS = {
    "scheduled": Status.ACCEPTED,
    "accepted": Status.ACCEPTED,
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "undelivered": Status.UNDELIVERED,
    "failed": Status.FAILED,
}
ID_PREFIX = "GW"


def status_word(gatewayapi_status: object) -> str | None:
    """GatewayAPI's state ("DELIVERED") as the outbox's provider word, or None."""
    if not isinstance(gatewayapi_status, str):
        return None
    return STATUS_WORDS.get(gatewayapi_status.strip().upper())


def provider_id(gatewayapi_id: int) -> str:
    """Stored ids carry a prefix: they share the outbox's provider_id with Twilio's SIDs."""
    return f"{ID_PREFIX}{gatewayapi_id}"


def msisdn(number: str) -> int:
    """ "+4520000001" → 4520000001 (the API wants the full number, digits only)."""
    digits = number.lstrip("+")
    if not digits.isdigit():
        raise SmsError("invalid number", code="msisdn", permanent=True)
    return int(digits)


class GatewayApiProvider:
    name = "gatewayapi"
    eu = True

    def __init__(self, token: str, base_url: str, sender: str, timeout: float) -> None:
        self.sender = sender
        # One client per process and configuration: the TLS connection is kept.
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"),
            auth=(token, ""),
            timeout=timeout,
            headers={"Accept": "application/json"},
        )

    @classmethod
    def configured(cls) -> GatewayApiProvider:
        return _client(
            settings.GATEWAYAPI_TOKEN,
            settings.GATEWAYAPI_API_BASE_URL,
            settings.GATEWAYAPI_SENDER,
            float(settings.SMS_TIMEOUT_SECONDS),
        )

    def send(
        self, to: str, body: str, *, reference: str, status_callback: str | None
    ) -> SendResult:
        payload = {
            "sender": self.sender,
            "message": body,
            "recipients": [{"msisdn": msisdn(to)}],
            "userref": reference,
            "callback_url": settings.BASE_URL + reverse("gatewayapi_status"),
        }
        try:
            response = self.client.post("/rest/mtsms", json=payload)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            # Never connected: GatewayAPI cannot have the message.
            raise SmsError(f"transport: {exc.__class__.__name__}", code="transport") from None
        except httpx.HTTPError as exc:  # a read timeout, a reset: it may have the message
            raise SmsError(
                f"transport: {exc.__class__.__name__}", code="transport", ambiguous=True
            ) from None
        if response.status_code == 200:
            try:
                (gid, *_rest) = response.json()["ids"]
                return SendResult(provider_id=provider_id(int(gid)), status="accepted")
            except (ValueError, KeyError, TypeError):
                # 200 means it took the message; without its id we cannot tell which.
                raise SmsError("unreadable answer", code="answer", ambiguous=True) from None
        raise _classify(response)

    def lookup(self, to: str, body: str, since: datetime) -> SendResult | None:
        raise SmsError("GatewayAPI cannot search messages by recipient", code="no-lookup")


def _classify(response: httpx.Response) -> SmsError:
    status = response.status_code
    try:
        detail = response.json()
        code, text = str(detail.get("code") or status), str(detail.get("message") or "")
    except (ValueError, AttributeError):
        code, text = str(status), ""
    if status == 429:
        return SmsError("rate limited", code="429", rate_limited=True)
    if status in (400, 422):
        return SmsError((text or "rejected")[:200], code=code[:20], permanent=True)
    if status in (401, 403):
        # The account (token, IP allow-list) is refused: the provider is unusable,
        # not the message. Counted against its health, sent again elsewhere.
        return SmsError(f"refused: {status}", code=code[:20])
    return SmsError((text or "provider error")[:200], code=code[:20], ambiguous=status >= 500)


@cache
def _client(token: str, base_url: str, sender: str, timeout: float) -> GatewayApiProvider:
    return GatewayApiProvider(token, base_url, sender, timeout)
