"""A fake Twilio: a real HTTP server on 127.0.0.1 that speaks the Messages API.

The real twilio-python client is pointed at it (settings.TWILIO_API_BASE_URL), so
tests and benchmarks exercise the same requests, answers and errors as production:

- POST /2010-04-01/Accounts/<sid>/Messages.json → 201 with a message resource
  (sid "SM…", status "queued"), or 400 with Twilio's error codes for numbers set up
  to fail (21211 invalid, 21610 opted out, 21614 not a mobile), 429 (20429) for the
  next N requests on demand, 5xx for the next N, optional latency;
- GET  /2010-04-01/Accounts/<sid>/Messages.json?To=…&DateSent>=… → one list page,
  newest first (what reconciliation reads);
- status callbacks: "sent", then "delivered", POSTed to the StatusCallback URL and
  signed with RequestValidator(auth_token), like Twilio does.

Every accepted message is recorded with the time it arrived (thread-safe), so tests
count deliveries and duplicates at the provider's side.

`FakeTwilioProcess` runs the same server in a process of its own (`main()`), for
benchmarks: Twilio is another machine in production,
so the process that measures must not also serve the provider's side of a bulk send
(its threads would compete with the measurement for the GIL). It reads what arrived
through two extra routes of that server (`/_fake/...`, on only in that mode).
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import http.client
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "fake-twilio-auth-token"
API_VERSION = "2010-04-01"

ERROR_TEXT = {
    21211: "The 'To' number is not a valid phone number.",
    21610: "Attempt to send to unsubscribed recipient",
    21614: "'To' number is not a valid mobile number",
    20429: "Too Many Requests",
    20003: "Authenticate",
    21602: "Message body is required.",
    21604: "A 'To' phone number is required.",
    21606: "The 'From' phone number provided is not a valid message-capable phone number.",
    20500: "An internal server error has occurred",
}


@dataclass
class FakeMessage:
    sid: str
    to: str
    body: str
    from_: str
    messaging_service_sid: str
    status_callback: str
    received_at: float  # time.time() when the request arrived
    status: str = "queued"
    date_sent: datetime | None = None
    callbacks: list[tuple[str, int]] = field(default_factory=list)  # (status, HTTP answer)

    @property
    def date_created(self) -> datetime:
        return datetime.fromtimestamp(self.received_at, UTC)


def _rfc2822(value: datetime | None) -> str | None:
    return format_datetime(value, usegmt=True) if value else None


def _parse_filter_date(value: str) -> datetime:
    # twilio-python sends "%Y-%m-%dT%H:%M:%SZ"; the API also takes a bare date.
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ValueError(value)


class FakeTwilio:
    def __init__(
        self,
        account_sid: str = ACCOUNT_SID,
        auth_token: str = AUTH_TOKEN,
        *,
        latency: float = 0.0,
        send_callbacks: bool = True,
        callback_delay: float = 0.05,
        control: bool = False,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.latency = latency
        self.send_callbacks = send_callbacks
        self.callback_delay = callback_delay
        # The /_fake/ routes through which FakeTwilioProcess reads what arrived.
        self.control = control
        # Number → Twilio error code answered with 400 for it.
        self.failing_numbers: dict[str, int] = {}
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._messages: list[FakeMessage] = []
        self._by_sid: dict[str, FakeMessage] = {}
        self._rate_limit_next = 0
        self._server_error_next = 0
        self._in_flight = 0
        self._last_request = 0.0
        self.requests = Counter()  # "POST 201", "POST 429", "GET 200", ...
        self.request_log: list[str] = []  # the same, in the order they were answered
        self._callbacks: list[tuple[float, int, str, str]] = []
        self._callback_seq = 0
        self._callback_wake = threading.Condition()
        self._stopping = False
        self._server: ThreadingHTTPServer | None = None

    # --- life cycle ---------------------------------------------------------------

    def start(self) -> FakeTwilio:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        threading.Thread(target=self._callback_loop, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping = True
        with self._callback_wake:
            self._callback_wake.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeTwilio:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self) -> dict[str, str]:
        """The settings (or environment variables) that point the twilio backend here."""
        return {
            "SMS_BACKEND": "twilio",
            "TWILIO_API_BASE_URL": self.url,
            "TWILIO_ACCOUNT_SID": self.account_sid,
            "TWILIO_AUTH_TOKEN": self.auth_token,
            "TWILIO_FROM": "Beredskab",
            "TWILIO_MESSAGING_SERVICE_SID": "",
        }

    # --- steering -----------------------------------------------------------------

    def rate_limit_next(self, n: int) -> None:
        """Answer the next `n` sends with 429 / 20429."""
        with self._lock:
            self._rate_limit_next = n

    def server_error_next(self, n: int) -> None:
        """Answer the next `n` sends with 500 (without creating the message)."""
        with self._lock:
            self._server_error_next = n

    def add_message(self, to: str, body: str, *, status: str = "delivered") -> FakeMessage:
        """A message the provider has, as if sent earlier (for reconciliation tests)."""
        with self._lock:
            return self._record(to, body, "Beredskab", "", "", status=status)

    # --- what arrived -------------------------------------------------------------

    @property
    def messages(self) -> list[FakeMessage]:
        with self._lock:
            return list(self._messages)

    def to(self, number: str) -> list[FakeMessage]:
        return [m for m in self.messages if m.to == number]

    def duplicates(self) -> dict[tuple[str, str], int]:
        """(to, body) pairs received more than once."""
        counts = Counter((m.to, m.body) for m in self.messages)
        return {key: n for key, n in counts.items() if n > 1}

    def wait_for(self, predicate, timeout: float = 30.0) -> bool:
        """Wait until predicate(messages) is true; False when `timeout` passed first."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(list(self._messages)):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, 0.2))
        return True

    def wait_idle(self, quiet: float = 0.5, timeout: float = 10.0) -> bool:
        """Wait until no request is being handled and none arrived for `quiet` seconds.

        After a client is killed its last request may still sit in a socket buffer;
        this is the moment Twilio would have it listed (what RECONCILE_AFTER waits for).
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self._in_flight == 0 and time.monotonic() - self._last_request >= quiet:
                    return True
            time.sleep(0.02)
        return False

    # --- internals ----------------------------------------------------------------

    def _record(self, to, body, from_, service, callback, status="queued") -> FakeMessage:
        msg = FakeMessage(
            sid="SM" + uuid.uuid4().hex,
            to=to,
            body=body,
            from_=from_,
            messaging_service_sid=service,
            status_callback=callback,
            received_at=time.time(),
            status=status,
        )
        if status != "queued":
            msg.date_sent = msg.date_created
        self._messages.append(msg)
        self._by_sid[msg.sid] = msg
        self._changed.notify_all()
        return msg

    def resource(self, msg: FakeMessage) -> dict:
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{msg.sid}.json"
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": msg.body,
            "date_created": _rfc2822(msg.date_created),
            "date_sent": _rfc2822(msg.date_sent),
            "date_updated": _rfc2822(msg.date_sent or msg.date_created),
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": msg.from_ or None,
            "messaging_service_sid": msg.messaging_service_sid or None,
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": msg.sid,
            "status": msg.status,
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
            "to": msg.to,
            "uri": uri,
        }

    def _schedule_callbacks(self, msg: FakeMessage) -> None:
        if not (self.send_callbacks and msg.status_callback):
            return
        now = time.monotonic()
        with self._callback_wake:
            for n, status in enumerate(("sent", "delivered"), start=1):
                self._callback_seq += 1
                due = now + self.callback_delay * n
                heapq.heappush(self._callbacks, (due, self._callback_seq, msg.sid, status))
            self._callback_wake.notify_all()

    def _callback_loop(self) -> None:
        while not self._stopping:
            with self._callback_wake:
                if not self._callbacks:
                    self._callback_wake.wait(0.5)
                    continue
                due, _, sid, status = self._callbacks[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._callback_wake.wait(wait)
                    continue
                heapq.heappop(self._callbacks)
            self._send_callback(sid, status)

    def _send_callback(self, sid: str, status: str) -> None:
        from twilio.request_validator import RequestValidator

        with self._lock:
            msg = self._by_sid[sid]
            msg.status = status
            if status == "sent":
                msg.date_sent = datetime.now(UTC)
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": API_VERSION,
            "From": msg.from_,
            "MessageSid": sid,
            "MessageStatus": status,
            "SmsSid": sid,
            "SmsStatus": status,
            "To": msg.to,
        }
        signature = RequestValidator(self.auth_token).compute_signature(msg.status_callback, params)
        request = urllib.request.Request(
            msg.status_callback,
            data=urllib.parse.urlencode(params).encode(),
            headers={
                "X-Twilio-Signature": signature,
                "Content-Type": "application/x-www-form-urlencoded",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                answer = response.status
        except urllib.error.HTTPError as exc:
            answer = exc.code
        except OSError:
            answer = 0
        with self._lock:
            msg.callbacks.append((status, answer))


class _Handler(BaseHTTPRequestHandler):
    fake: FakeTwilio
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle's algorithm
    # and delayed ACKs add ~40 ms to every answer on a keep-alive connection.
    disable_nagle_algorithm = True

    def log_message(self, format, *args) -> None:  # noqa: A002 - quiet test output
        pass

    def _answer(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        with self.fake._lock:  # counted before answering, so the client sees it counted
            if not self.path.startswith("/_fake/"):
                self.fake.requests[f"{self.command} {status}"] += 1
                self.fake.request_log.append(f"{self.command} {status}")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, code: int) -> None:
        self._answer(
            status,
            {
                "code": code,
                "message": ERROR_TEXT.get(code, "error"),
                "more_info": f"https://www.twilio.com/docs/errors/{code}",
                "status": status,
            },
        )

    def _route(self) -> str | None:
        path = urllib.parse.urlsplit(self.path).path
        expected = f"/{API_VERSION}/Accounts/{self.fake.account_sid}/Messages.json"
        return "messages" if path == expected else None

    def _authorised(self) -> bool:
        import base64

        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        return user == self.fake.account_sid and password == self.fake.auth_token

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except OSError:  # a client killed mid-request (fault tests): nothing to answer
            self.close_connection = True

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        with self.fake._lock:
            self.fake._in_flight += 1
            self.fake._last_request = time.monotonic()
        try:
            self._post()
        finally:
            with self.fake._lock:
                self.fake._in_flight -= 1
                self.fake._last_request = time.monotonic()

    def _post(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
        fake = self.fake
        if self._route() is None:
            return self._error(404, 20404)
        if not self._authorised():
            return self._error(401, 20003)

        def one(name: str) -> str:
            return form.get(name, [""])[0]

        to, body = one("To"), one("Body")
        with fake._lock:
            if fake._rate_limit_next > 0:
                fake._rate_limit_next -= 1
                limited = True
            else:
                limited = False
            if not limited and fake._server_error_next > 0:
                fake._server_error_next -= 1
                broken = True
            else:
                broken = False
        if limited:
            return self._error(429, 20429)
        if broken:
            return self._error(500, 20500)
        if not to:
            return self._error(400, 21604)
        if not body:
            return self._error(400, 21602)
        if not (one("From") or one("MessagingServiceSid")):
            return self._error(400, 21606)
        if to in fake.failing_numbers:
            return self._error(400, fake.failing_numbers[to])
        with fake._lock:
            msg = fake._record(
                to, body, one("From"), one("MessagingServiceSid"), one("StatusCallback")
            )
            payload = fake.resource(msg)
        try:
            # The message exists from here on, like at Twilio: a client that dies while
            # waiting for this answer leaves a send whose outcome it does not know.
            if fake.latency:
                time.sleep(fake.latency)
            self._answer(201, payload)
        except OSError:  # the client went away (killed): Twilio keeps the message anyway
            pass
        fake._schedule_callbacks(msg)

    def _control(self) -> bool:
        """The /_fake/ routes of a server in its own process (FakeTwilioProcess)."""
        parts = urllib.parse.urlsplit(self.path)
        if not (self.fake.control and parts.path.startswith("/_fake/")):
            return False
        query = urllib.parse.parse_qs(parts.query)

        def number(name: str, default: float) -> float:
            return float(query.get(name, [default])[0])

        fake = self.fake
        if parts.path == "/_fake/messages":
            # A long poll: answers once there is a message after `after`, or at `wait`.
            after = int(number("after", 0))
            deadline = time.monotonic() + number("wait", 0)
            with fake._changed:
                while len(fake._messages) <= after:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    fake._changed.wait(left)
                rows = [
                    [m.sid, m.to, m.body, m.from_, m.messaging_service_sid, m.received_at]
                    for m in fake._messages[after:]
                ]
            self._answer(200, {"messages": rows})
        elif parts.path == "/_fake/idle":
            idle = fake.wait_idle(number("quiet", 0.5), number("timeout", 10.0))
            self._answer(200, {"idle": idle})
        else:
            self._error(404, 20404)
        return True

    def do_GET(self) -> None:  # noqa: N802
        if self._control():
            return
        if self._route() is None:
            return self._error(404, 20404)
        if not self._authorised():
            return self._error(401, 20003)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)

        def one(name: str) -> str:
            return query.get(name, [""])[0]

        page_size = int(one("PageSize") or 50)
        page = int(one("Page") or 0)
        with self.fake._lock:
            found = [m for m in self.fake._messages if not one("To") or m.to == one("To")]
            # Like Twilio: the DateSent filters only see messages that have been sent.
            for name, keep in (
                ("DateSent>", lambda sent, at: sent >= at),
                ("DateSent<", lambda sent, at: sent <= at),
            ):
                if one(name):
                    at = _parse_filter_date(one(name))
                    found = [m for m in found if m.date_sent and keep(m.date_sent, at)]
            found.sort(key=lambda m: m.received_at, reverse=True)
            chunk = found[page * page_size : (page + 1) * page_size]
            resources = [self.fake.resource(m) for m in chunk]
        base = f"/{API_VERSION}/Accounts/{self.fake.account_sid}/Messages.json"
        more = (page + 1) * page_size < len(found)
        next_query = dict(query, Page=[str(page + 1)], PageSize=[str(page_size)])
        self._answer(
            200,
            {
                "messages": resources,
                "end": page * page_size + len(chunk) - 1,
                "first_page_uri": f"{base}?PageSize={page_size}&Page=0",
                "next_page_uri": (
                    f"{base}?{urllib.parse.urlencode(next_query, doseq=True)}" if more else None
                ),
                "page": page,
                "page_size": page_size,
                "previous_page_uri": None,
                "start": page * page_size,
                "uri": self.path,
            },
        )


class FakeTwilioProcess:
    """The fake in a process of its own, read from here: the reading side of FakeTwilio
    (`messages`, `to`, `duplicates`, `wait_for`, `wait_idle`, `settings`, `url`).

    The child stops when this process closes its stdin, also when this one is killed.
    """

    def __init__(
        self,
        *,
        latency: float = 0.0,
        send_callbacks: bool = True,
        account_sid: str = ACCOUNT_SID,
        auth_token: str = AUTH_TOKEN,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.latency = latency
        self.send_callbacks = send_callbacks
        self.process: subprocess.Popen | None = None
        self._url = ""
        self._seen: list[FakeMessage] = []
        self._conn: http.client.HTTPConnection | None = None
        self._stopped = False

    def start(self, timeout: float = 30.0) -> FakeTwilioProcess:
        args = [
            sys.executable,
            "-c",
            "from tests.fakes.twilio_server import main; main()",
            "--latency",
            str(self.latency),
        ]
        if not self.send_callbacks:
            args.append("--no-callbacks")
        self.process = subprocess.Popen(
            args,
            cwd=Path(__file__).resolve().parents[2],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,  # a Ctrl-C of the benchmark reaches it through stdin
        )
        assert self.process.stdout is not None
        ready = threading.Event()
        threading.Thread(target=lambda: (self._read_url(), ready.set()), daemon=True).start()
        if not ready.wait(timeout) or not self._url:
            self.stop()
            raise RuntimeError("the fake Twilio process did not start")
        return self

    def _read_url(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        self._url = self.process.stdout.readline().strip()

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # What arrived stays readable after the block, as with FakeTwilio.
        with contextlib.suppress(OSError, http.client.HTTPException, ValueError):
            self._sync()
        self._stopped = True
        if self._conn is not None:
            self._conn.close()
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def __enter__(self) -> FakeTwilioProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._url, "start() the fake first"
        return self._url

    settings = FakeTwilio.settings

    def _get(self, path: str, timeout: float) -> dict:
        host, port = urllib.parse.urlsplit(self.url).netloc.split(":")
        for attempt in (1, 2):  # a keep-alive connection the server closed: once more
            if self._conn is None:
                self._conn = http.client.HTTPConnection(host, int(port), timeout=timeout + 5)
            try:
                self._conn.request("GET", path)
                response = self._conn.getresponse()
                return json.loads(response.read())
            except (OSError, http.client.HTTPException):
                self._conn.close()
                self._conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _sync(self, wait: float = 0.0) -> list[FakeMessage]:
        if self._stopped:
            return list(self._seen)
        rows = self._get(f"/_fake/messages?after={len(self._seen)}&wait={wait}", wait)
        for sid, to, body, from_, service, received_at in rows["messages"]:
            self._seen.append(FakeMessage(sid, to, body, from_, service, "", received_at))
        return list(self._seen)

    @property
    def messages(self) -> list[FakeMessage]:
        return self._sync()

    to = FakeTwilio.to
    duplicates = FakeTwilio.duplicates

    def wait_for(self, predicate, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        messages = self._sync()
        while not predicate(messages):
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            messages = self._sync(wait=min(left, 0.5))
        return True

    def wait_idle(self, quiet: float = 0.5, timeout: float = 10.0) -> bool:
        return self._get(f"/_fake/idle?quiet={quiet}&timeout={timeout}", timeout)["idle"]


def main() -> None:
    """Serve until stdin closes; the first line on stdout is the server's URL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--no-callbacks", action="store_true")
    options = parser.parse_args()
    fake = FakeTwilio(
        latency=options.latency, send_callbacks=not options.no_callbacks, control=True
    ).start()
    print(fake.url, flush=True)
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    fake.stop()


if __name__ == "__main__":
    main()
