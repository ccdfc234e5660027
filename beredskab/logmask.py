"""Acknowledgement tokens never reach a log or a stored message body.

An ack link (/a/<token>/) acknowledges an escalation step without a login for as long
as the token lives. Whoever reads the web server's access log, Django's request log
or the outbox table must not be able to use it, so every one of them masks it:

- gunicorn's access log: `GunicornLogger` (gunicorn.conf.py sets it as logger_class);
  the request line, the path and every header (the Referer of a page opened from the
  ack page carries the link too) are masked;
- Django's own logs ("Gone: /a/<token>/" from django.request, runserver's
  django.server): the `MaskAckTokens` filter in settings.LOGGING;
- outbox bodies: beredskab.notify.outbox masks the link once the message is sent.
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

# The path segment after /a/ (URL-safe base64 tokens, 22 characters today). Percent
# escapes are allowed so that an encoded variant is masked too.
_ACK_TOKEN = re.compile(r"(/a/)[A-Za-z0-9_%\-]{6,128}(?=/|\s|\?|$|\")")
MASK = "…"


def mask_ack_tokens(text: str) -> str:
    """'/a/abc123.../' → '/a/…/' wherever it appears in `text`."""
    if not text or "/a/" not in text:
        return text
    return _ACK_TOKEN.sub(rf"\g<1>{MASK}", text)


class MaskAckTokens(logging.Filter):
    """A logging filter: masks ack tokens in the message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_ack_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                mask_ack_tokens(a) if isinstance(a, str) else a for a in record.args
            )
        elif isinstance(record.args, dict):
            record.args = {
                k: mask_ack_tokens(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True


class GunicornLogger(Logger):
    """gunicorn's logger with every access-log atom masked."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: mask_ack_tokens(v) if isinstance(v, str) else v for k, v in atoms.items()}


class OneLineRefusals(logging.Filter):
    """A refusal (4xx) is one line: django.request logs a 403 with its traceback, which
    says nothing a person needs (the view refused on purpose), and runserver then logs
    the same request again. A 5xx keeps its traceback and both lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if not isinstance(status, int) or not 400 <= status < 500:
            return True
        if record.name == "django.server":
            return False  # django.request has logged this refusal already
        if record.name == "django.request":
            record.exc_info = None
            record.exc_text = None
        return True
