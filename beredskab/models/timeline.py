"""The timeline: append-only events, one hash chain per subject.

Actor and subject are stored as ids without database constraints plus a display
text, so no cascade ever needs to UPDATE or DELETE a row (PostgreSQL forbids both
with a trigger, see migration 0003_timeline_append_only).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


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

    def compute_hash(self) -> str:
        return compute_event_hash(
            subject_type=self.subject_type,
            subject_id=self.subject_id,
            seq=self.seq,
            at=self.at,
            actor_id=self.actor_id,
            actor_text=self.actor_text,
            kind=self.kind,
            data=self.data,
            prev_hash=self.prev_hash,
        )


def compute_event_hash(**fields) -> str:
    """SHA-256 over a canonical JSON form of the event (sorted keys, ISO times in UTC)."""
    at = fields["at"]
    fields = {**fields, "at": at.astimezone(UTC).isoformat() if at else None}
    # Round-trip data through JSON so what is hashed equals what the database returns.
    fields["data"] = json.loads(json.dumps(fields["data"], cls=DjangoJSONEncoder))
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
