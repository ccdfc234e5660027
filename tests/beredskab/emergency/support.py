"""Helpers of the emergency-mode tests: asking for a code, entering it, and reading
the code a person got by SMS (from the outbox, before it is purged)."""

from __future__ import annotations

import re

from django.urls import reverse

from beredskab.models import OutboxMessage

CODE = re.compile(r"\b(\d{6})\b")


def last_code_for(user) -> str:
    message = (
        OutboxMessage.objects.filter(
            channel="sms", person__user=user, group_key__startswith="smscode:"
        )
        .order_by("-pk")
        .first()
    )
    assert message is not None, f"no code went to {user}"
    return CODE.search(message.body).group(1)


def ask_for_code(client, identifier: str, **extra):
    return client.post(reverse("sms_login"), {"identifier": identifier}, **extra)


def enter_code(client, code: str, **extra):
    return client.post(reverse("sms_login_code"), {"code": code}, **extra)
