"""Append to and read the timeline. The one way any app writes a timeline event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from beredskab.cpr import mask_cpr
from beredskab.models.timeline import GENESIS_HASH, TimelineEvent


def subject_key(subject: models.Model) -> tuple[str, str]:
    return subject._meta.label_lower, str(subject.pk)


def _actor_fields(actor) -> tuple[int | None, str]:
    if actor is None:
        return None, ""
    if isinstance(actor, str):
        return None, actor[:200]
    person = getattr(actor, "person", None) if hasattr(actor, "get_username") else None
    text = str(person) if person is not None else str(actor)
    return actor.pk, text[:200]


def _clean(value: Any) -> Any:
    """Mask CPR numbers in every string that goes into an event's data."""
    if isinstance(value, str):
        return mask_cpr(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def record(
    subject: models.Model,
    kind: str,
    *,
    actor=None,
    data: dict | None = None,
    at: datetime | None = None,
) -> TimelineEvent:
    """Append one event to `subject`'s chain.

    Locks the subject row so concurrent appends queue up behind each other; the
    unique (subject, seq) constraint is the backstop if a caller forgot the lock.
    """
    subject_type, subject_id = subject_key(subject)
    actor_id, actor_text = _actor_fields(actor)
    with transaction.atomic():
        type(subject)._base_manager.select_for_update().filter(pk=subject.pk).first()
        head = (
            TimelineEvent.objects.filter(subject_type=subject_type, subject_id=subject_id)
            .order_by("-seq")
            .only("seq", "hash")
            .first()
        )
        event = TimelineEvent(
            subject_type=subject_type,
            subject_id=subject_id,
            subject_text=str(subject)[:200],
            seq=(head.seq + 1) if head else 1,
            at=at or timezone.now(),
            actor_id=actor_id,
            actor_text=actor_text,
            kind=kind,
            data=_clean(data or {}),
            prev_hash=head.hash if head else GENESIS_HASH,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event


def events_for(subject: models.Model):
    subject_type, subject_id = subject_key(subject)
    return TimelineEvent.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by(
        "seq"
    )


def verify_chain(events) -> tuple[bool, TimelineEvent | None, str]:
    """Walk one subject's events in order; return (ok, first broken event, reason)."""
    prev = GENESIS_HASH
    expected_seq = 1
    for event in events:
        if event.seq != expected_seq:
            return False, event, f"sequence gap: expected {expected_seq}, found {event.seq}"
        if event.prev_hash != prev:
            return False, event, "previous hash does not match the event before it"
        if event.compute_hash() != event.hash:
            return False, event, "hash does not match the event's contents"
        prev = event.hash
        expected_seq += 1
    return True, None, ""


def verify_all() -> list[tuple[str, str, TimelineEvent, str]]:
    """Every chain; returns the first broken link of each broken chain."""
    broken = []
    current_key = None
    chain: list[TimelineEvent] = []

    def flush():
        if chain:
            ok, event, reason = verify_chain(chain)
            if not ok:
                broken.append((chain[0].subject_type, chain[0].subject_id, event, reason))

    for event in TimelineEvent.objects.order_by("subject_type", "subject_id", "seq").iterator(
        chunk_size=2000
    ):
        key = (event.subject_type, event.subject_id)
        if key != current_key:
            flush()
            chain = []
            current_key = key
        chain.append(event)
    flush()
    return broken


def heads() -> list[dict]:
    """The latest hash of every chain, for the daily export out of the database."""
    latest = (
        TimelineEvent.objects.values("subject_type", "subject_id")
        .annotate(seq=models.Max("seq"))
        .order_by("subject_type", "subject_id")
    )
    out = []
    for row in latest:
        event = TimelineEvent.objects.get(
            subject_type=row["subject_type"], subject_id=row["subject_id"], seq=row["seq"]
        )
        out.append(
            {
                "subject_type": event.subject_type,
                "subject_id": event.subject_id,
                "seq": event.seq,
                "hash": event.hash,
            }
        )
    return out
