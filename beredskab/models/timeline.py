"""The timeline: append-only events, one hash chain per subject.

Actor and subject are stored as ids without database constraints plus a display
text, so no cascade ever needs to UPDATE or DELETE a row (PostgreSQL forbids both
with a trigger, see migration 0003_timeline_append_only).

Hash versions. Version 1 (events recorded before retention existed) hashes the data
itself. Version 2 hashes a salted digest of the data instead, so the data can later be
purged under a retention rule: purging replaces the data with a tombstone (`{}`),
forgets the salt and keeps the digest, and the event's hash still verifies. The salt
is forgotten with the data so the kept digest cannot be used to confirm a guessed
name or address. The only UPDATE the database allows is exactly that one
(migration 0014_aftermath_timeline_digests).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64
HASH_V1 = 1  # the hash covers the data itself
HASH_V2 = 2  # the hash covers a salted digest of the data: the data can be purged
TOMBSTONE: dict = {}


class TimelineEvent(models.Model):
    subject_type = models.CharField(_("subject type"), max_length=60)
    subject_id = models.CharField(_("subject id"), max_length=40)
    subject_text = models.CharField(_("subject"), max_length=200, blank=True)
    seq = models.PositiveIntegerField(_("sequence"))
    at = models.DateTimeField(_("time"))
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_text = models.CharField(_("actor"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=60)
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # Database defaults: a row written by hand (or before version 2) reads as version 1.
    hash_version = models.PositiveSmallIntegerField(default=HASH_V2, db_default=HASH_V1)
    content_salt = models.CharField(max_length=32, blank=True, default="", db_default="")
    content_digest = models.CharField(max_length=64, blank=True, default="", db_default="")
    # Set when a retention rule replaced the data with the tombstone.
    purged_at = models.DateTimeField(_("content purged"), null=True, blank=True)

    class Meta:
        ordering = ["subject_type", "subject_id", "seq"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        constraints = [
            # One chain per subject: two concurrent appends can never share a position.
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "seq"], name="timeline_subject_seq_unique"
            )
        ]
        # Serves "the timeline of this subject, newest first" and the chain's head.
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-seq"], name="timeline_head")
        ]

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id} {self.seq} {self.kind}"

    def _fields(self) -> dict:
        return {
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "subject_text": self.subject_text,
            "seq": self.seq,
            "at": self.at,
            "actor_id": self.actor_id,
            "actor_text": self.actor_text,
            "kind": self.kind,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        """The hash as its version defines it (version 2: over the stored digest)."""
        if self.hash_version == HASH_V1:
            return compute_event_hash(**self._fields(), data=self.data)
        return compute_event_hash_v2(**self._fields(), content_digest=self.content_digest)

    def digest_of_content(self) -> str:
        return content_digest(self.content_salt, self.data)

    def seal(self) -> None:
        """A fresh version-2 event: salt, digest and hash from its current fields."""
        self.hash_version = HASH_V2
        self.content_salt = secrets.token_hex(16)
        self.content_digest = self.digest_of_content()
        self.hash = self.compute_hash()

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None

    @property
    def description(self) -> str:
        """One human-readable line for the timeline fragment."""
        from beredskab.timeline import describe  # the registry imports this module

        return describe(self)


def to_stored_json(value):
    """`value` as the database hands it back: JSON-encoded and decoded once.

    DjangoJSONEncoder turns datetimes, dates, decimals, UUIDs and lazy strings into
    strings, tuples become lists and keys become strings, on SQLite and PostgreSQL alike.
    """
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, allow_nan=False))


def _canonical(value):
    # PostgreSQL's jsonb keeps numbers as numeric: 1e16 goes in as a float and comes
    # back as the integer 10000000000000000, 1.0 may come back as 1. Integral floats
    # therefore hash as integers, so a chain verifies the same on either database.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def compute_event_hash(**fields) -> str:
    """Version 1: SHA-256 over a canonical JSON form of the event, data included.

    Sorted keys, ASCII escapes, times as ISO 8601 in UTC with microseconds, data as
    the database returns it: the same bytes whether the row was just built in memory
    or read back from SQLite or PostgreSQL.
    """
    return _sha256_of({**fields, "data": _canonical(to_stored_json(fields["data"]))})


def _sha256_of(fields: dict) -> str:
    at = fields["at"]
    if at is not None and timezone.is_naive(at):
        raise ValueError("timeline times must be aware datetimes")
    fields = {**fields, "at": at.astimezone(UTC).isoformat(timespec="microseconds") if at else None}
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def content_digest(salt: str, data) -> str:
    """SHA-256 of the salt and the canonical JSON of the data (as stored)."""
    payload = json.dumps(
        _canonical(to_stored_json(data)), sort_keys=True, separators=(",", ":"), ensure_ascii=True
    )
    return hashlib.sha256(f"{salt}:{payload}".encode("ascii")).hexdigest()


def compute_event_hash_v2(**fields) -> str:
    """Version 2: like version 1, with the content digest in place of the data."""
    return _sha256_of({**fields, "v": HASH_V2})
