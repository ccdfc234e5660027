"""The demo's e-mail backend: each message is one log record with its recipients,
subject and text, so the demo's console shows the e-mail (a password-reset link, a
reminder) and not its MIME headers. Django's console backend writes to stdout, which a
Celery worker turns into one WARNING line per line of the message."""

from __future__ import annotations

import logging

from django.core.mail.backends.base import BaseEmailBackend

log = logging.getLogger("beredskab.email")


class LogEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            log.info(
                "E-mail to %s: %s\n%s",
                ", ".join(message.recipients()),
                message.subject,
                str(message.body).rstrip(),
            )
        return len(email_messages)
