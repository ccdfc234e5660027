"""A fake GatewayAPI: a real HTTP server on 127.0.0.1 that speaks its REST API, written
from GatewayAPI's documentation (REST API: "Sending SMS'es", "Get SMS and SMS status",
"Webhooks"), so the portal's httpx client is exercised over HTTP as in production:

- POST /rest/mtsms, the API token as HTTP Basic user name (or ?token=), a JSON object
  (or a list of them) with message, sender, recipients [{msisdn}], userref,
  callback_url → 200 {"ids": [...], "usage": {...}}; 401 without a valid token; 400 for
  a missing message or recipients; 422 for a body that is not JSON; 429 / 500 for the
  next N requests on demand; optional latency;
- GET /rest/mtsms/<id> → the message with its recipients' dsnstatus, 404 if unknown;
- delivery status notifications: report() builds the POST GatewayAPI makes to the
  callback URL (JSON body, and the same fields as a JWT signed HS256 with the webhook
  secret in X-Gwapi-Signature); with send_reports=True they are POSTed (ENROUTE, then
  DELIVERED) like GatewayAPI does.

Every accepted message is recorded with its arrival time, so tests count deliveries
and duplicates at the provider's side.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

TOKEN = "fake-gatewayapi-token"
WEBHOOK_SECRET = "fake-gatewayapi-webhook-secret-of-40-chars"


@dataclass
class GwMessage:
    id: int
    msisdn: int
    message: str
    sender: str
    userref: str
    callback_url: str
    received_at: float
    status: str = "BUFFERED"
    reports: list[tuple[str, int]] = field(default_factory=list)  # (status, HTTP answer)

    @property
    def to(self) -> str:
        return f"+{self.msisdn}"

    @property
    def body(self) -> str:
        return self.message


class FakeGatewayApi:
    def __init__(
        self,
        token: str = TOKEN,
        webhook_secret: str = WEBHOOK_SECRET,
        *,
        latency: float = 0.0,
        send_reports: bool = False,
    ) -> None:
        self.token = token
        self.webhook_secret = webhook_secret
        self.latency = latency
        self.send_reports = send_reports
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._messages: list[GwMessage] = []
        self._next_id = 421332671
        self._rate_limit_next = 0
        self._server_error_next = 0
        self.requests = Counter()  # "POST 200", "POST 500", ...
        self._server: ThreadingHTTPServer | None = None
        self._port = 0

    # --- life cycle ---------------------------------------------------------------

    def start(self) -> FakeGatewayApi:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), handler)
        self._server.daemon_threads = True
        self._port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGatewayApi:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def settings(self) -> dict[str, str]:
        """The settings that point the gatewayapi provider here."""
        return {
            "GATEWAYAPI_API_BASE_URL": self.url,
            "GATEWAYAPI_TOKEN": self.token,
            "GATEWAYAPI_WEBHOOK_SECRET": self.webhook_secret,
            "GATEWAYAPI_SENDER": "Beredskab",
        }

    # --- steering -----------------------------------------------------------------

    def rate_limit_next(self, n: int) -> None:
        with self._lock:
            self._rate_limit_next = n

    def server_error_next(self, n: int) -> None:
        """Answer the next `n` sends with 500 (without creating the message)."""
        with self._lock:
            self._server_error_next = n

    # --- what arrived -------------------------------------------------------------

    @property
    def messages(self) -> list[GwMessage]:
        with self._lock:
            return list(self._messages)

    def to(self, number: str) -> list[GwMessage]:
        return [m for m in self.messages if m.to == number]

    def duplicates(self) -> dict[tuple[str, str], int]:
        counts = Counter((m.to, m.body) for m in self.messages)
        return {key: n for key, n in counts.items() if n > 1}

    def wait_for(self, predicate, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(list(self._messages)):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, 0.2))
        return True

    # --- delivery status notifications ---------------------------------------------

    def report_payload(self, msg: GwMessage, status: str, **extra) -> dict:
        payload = {
            "id": msg.id,
            "msisdn": msg.msisdn,
            "time": int(time.time()),
            "status": status,
            "error": None,
            "code": None,
            "userref": msg.userref or None,
            "callback_url": msg.callback_url,
            "api": 4,
        }
        payload.update(extra)
        return payload

    def sign(self, payload: dict, secret: str | None = None) -> str:
        return jwt.encode(payload, secret or self.webhook_secret, algorithm="HS256")

    def report(self, msg: GwMessage, status: str, **extra) -> tuple[bytes, dict[str, str]]:
        """(body, headers) of the request GatewayAPI makes to the callback URL."""
        payload = self.report_payload(msg, status, **extra)
        headers = {"Content-Type": "application/json", "X-Gwapi-Signature": self.sign(payload)}
        return json.dumps(payload).encode(), headers

    def _send_reports(self, msg: GwMessage) -> None:
        for status in ("ENROUTE", "DELIVERED"):
            body, headers = self.report(msg, status)
            request = urllib.request.Request(
                msg.callback_url, data=body, headers=headers, method="POST"
            )
            answer = self._post_report(request)
            with self._lock:
                msg.status = status
                msg.reports.append((status, answer))

    @staticmethod
    def _post_report(request, attempts: int = 5) -> int:
        """POST one report as GatewayAPI does: an answer of 300 or more (the portal's 409
        while its worker has not stored the id yet) is retried after a short pause. The
        last HTTP answer is returned; 0 when the portal could not be reached at all."""
        answer = 0
        for attempt in range(attempts):
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status
            except urllib.error.HTTPError as error:
                answer = error.code
            except OSError:
                answer = 0
            time.sleep(0.2 * (attempt + 1))
        return answer

    # --- internals ----------------------------------------------------------------

    def _record(self, item: dict) -> list[GwMessage]:
        made = []
        for recipient in item["recipients"]:
            self._next_id += 1
            msg = GwMessage(
                id=self._next_id,
                msisdn=int(recipient["msisdn"]),
                message=item["message"],
                sender=str(item.get("sender") or ""),
                userref=str(item.get("userref") or ""),
                callback_url=str(item.get("callback_url") or ""),
                received_at=time.time(),
            )
            self._messages.append(msg)
            made.append(msg)
        self._changed.notify_all()
        return made


class _Handler(BaseHTTPRequestHandler):
    fake: FakeGatewayApi
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # noqa: A002 - quiet test output
        pass

    def _answer(self, status: int, payload) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        with self.fake._lock:
            self.fake.requests[f"{self.command} {status}"] += 1

    def _error(self, status: int, code: str, message: str) -> None:
        self._answer(status, {"code": code, "message": message, "incident_uuid": "fake"})

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            user = base64.b64decode(header[6:]).decode().partition(":")[0]
            return user == self.fake.token
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        return query.get("token", [""])[0] == self.fake.token

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except OSError:  # a client gone mid-request: nothing to answer
            self.close_connection = True

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        fake = self.fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if urllib.parse.urlsplit(self.path).path != "/rest/mtsms":
            return self._error(404, "0x0404", "Not found")
        if not self._authorised():
            return self._error(401, "0x0308", "Invalid API key or signature")
        with fake._lock:
            limited = fake._rate_limit_next > 0
            if limited:
                fake._rate_limit_next -= 1
            broken = not limited and fake._server_error_next > 0
            if broken:
                fake._server_error_next -= 1
        if limited:
            return self._error(429, "0x0429", "Too many requests")
        if broken:
            return self._error(500, "0x0500", "Internal error")
        try:
            data = json.loads(raw)
        except ValueError:
            return self._error(422, "0x0422", "Invalid json request body")
        items = data if isinstance(data, list) else [data]
        for item in items:
            if not isinstance(item, dict) or not item.get("message"):
                return self._error(400, "0x0201", "message is required")
            recipients = item.get("recipients")
            if not recipients or not all(
                isinstance(r, dict) and str(r.get("msisdn", "")).isdigit() for r in recipients
            ):
                return self._error(400, "0x0202", "recipients with msisdn are required")
        with fake._lock:
            made = [msg for item in items for msg in fake._record(item)]
        if fake.latency:
            time.sleep(fake.latency)
        try:
            self._answer(
                200,
                {
                    "ids": [m.id for m in made],
                    "usage": {
                        "countries": {"DK": len(made)},
                        "currency": "DKK",
                        "total_cost": 0.12 * len(made),
                    },
                },
            )
        except OSError:  # the client went away: GatewayAPI keeps the message anyway
            pass
        if fake.send_reports:
            for msg in made:
                if msg.callback_url:
                    threading.Thread(target=fake._send_reports, args=(msg,), daemon=True).start()

    def do_GET(self) -> None:  # noqa: N802
        path = urllib.parse.urlsplit(self.path).path
        if not path.startswith("/rest/mtsms/"):
            return self._error(404, "0x0404", "Not found")
        if not self._authorised():
            return self._error(401, "0x0308", "Invalid API key or signature")
        tail = path.rsplit("/", 1)[1]
        with self.fake._lock:
            found = [m for m in self.fake._messages if tail.isdigit() and m.id == int(tail)]
        if not found:
            return self._error(404, "0x0404", "SMS not found")
        msg = found[0]
        self._answer(
            200,
            [
                {
                    "id": msg.id,
                    "message": msg.message,
                    "sender": msg.sender,
                    "userref": msg.userref,
                    "callback_url": msg.callback_url,
                    "recipients": [
                        {"msisdn": msg.msisdn, "dsnstatus": msg.status, "country": "DK"}
                    ],
                }
            ],
        )
