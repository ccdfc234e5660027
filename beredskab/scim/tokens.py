"""Provisioning tokens: random, shown once, stored as SHA-256 (a token is 256 random
bits, so a fast hash is enough: nothing to brute-force), with an expiry."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from beredskab.models import ScimToken
from beredskab.scim.errors import ScimError


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_secret() -> tuple[str, str]:
    token = "scim_" + secrets.token_urlsafe(32)
    return token, _hash(token)


@transaction.atomic
def create(name: str, days: int | None = None) -> tuple[ScimToken, str]:
    """A new client's token; returns (row, the token: shown once)."""
    token, digest = _new_secret()
    now = timezone.now()
    row = ScimToken.objects.create(
        name=name,
        token_hash=digest,
        created_at=now,
        expires_at=now + timedelta(days=days or settings.SCIM_TOKEN_DAYS),
    )
    return row, token


@transaction.atomic
def rotate(name: str, days: int | None = None) -> tuple[ScimToken, str]:
    """A new token for an existing client; the old one stops working at once."""
    row = ScimToken.objects.select_for_update().get(name=name)
    token, row.token_hash = _new_secret()
    now = timezone.now()
    row.created_at, row.expires_at = now, now + timedelta(days=days or settings.SCIM_TOKEN_DAYS)
    row.save(update_fields=["token_hash", "created_at", "expires_at"])
    return row, token


def authenticate(request) -> ScimToken:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ScimError(401, "A bearer token is required.")
    row = ScimToken.objects.filter(token_hash=_hash(token.strip())).first()
    if row is None:
        raise ScimError(401, "The token is unknown.")
    now = timezone.now()
    if row.expires_at <= now:
        raise ScimError(401, "The token has expired. Rotate it with manage.py scim_token rotate.")
    ScimToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row
