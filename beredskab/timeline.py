"""Append to, verify and describe the timeline. The one way any app writes an event.

    from beredskab import timeline
    timeline.record(system, "system.updated", actor=request.user, data={"fields": [...]})

Each subject (a system, an incident, an escalation run...) has its own hash chain:
event n stores the hash of event n-1. `verify_all()` walks every chain, `heads()`
gives each chain's latest hash for the daily export out of the database.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskab.actors import actor_text
from beredskab.cpr import mask_cpr
from beredskab.models.timeline import (
    GENESIS_HASH,
    HASH_V1,
    TOMBSTONE,
    TimelineEvent,
    to_stored_json,
)

# Two appends to one chain that did not queue on a lock (a caller that bypassed
# record(), a database without row locks) collide on the unique (subject, seq)
# constraint; the loser re-reads the head and tries again.
_ATTEMPTS = 5
_KIND_MAX = TimelineEvent._meta.get_field("kind").max_length
_TEXT_MAX = 200


def subject_key(subject: models.Model) -> tuple[str, str]:
    # The concrete model: a proxy of the same row must not start a second chain.
    return subject._meta.concrete_model._meta.label_lower, str(subject.pk)


def _actor_fields(actor) -> tuple[int | None, str]:
    actor_id = None if actor is None or isinstance(actor, str) else actor.pk
    return actor_id, actor_text(actor)


def _clean(value: Any) -> Any:
    """Mask CPR numbers in every string (keys too) that goes into an event's data.

    NUL characters are dropped (PostgreSQL's jsonb cannot hold them); NaN and
    infinities are refused (JSON has no such numbers).
    """
    if isinstance(value, str):
        return mask_cpr(value.replace("\x00", ""))
    if isinstance(value, dict):
        return {_clean(k) if isinstance(k, str) else k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("timeline data cannot hold NaN or infinity")
    return value


def _lock(subject: models.Model, key: tuple[str, str]) -> None:
    """Serialise appends to one chain until the transaction ends.

    The subject's row is locked (SELECT ... FOR UPDATE). If it has no row (deleted in
    the same transaction, say), PostgreSQL takes an advisory lock on the chain's key
    instead: retrying on the unique constraint alone can lose to a busy writer again
    and again. SQLite needs neither: BEGIN IMMEDIATE serialises all writers.
    """
    manager = subject._meta.concrete_model._base_manager
    using = router.db_for_write(TimelineEvent)
    locked = list(
        manager.using(using).select_for_update().filter(pk=subject.pk).values_list("pk", flat=True)
    )
    if not locked and connections[using].vendor == "postgresql":
        digest = hashlib.blake2b("#".join(key).encode(), digest_size=8).digest()
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
            )


def record(
    subject: models.Model,
    kind: str,
    *,
    actor=None,
    data: dict | None = None,
    at: datetime | None = None,
) -> TimelineEvent:
    """Append one event to `subject`'s chain and return it (as stored).

    Locks the subject row so concurrent appends queue up behind each other; call it
    inside the caller's transaction.atomic() so the event commits (or not) with the
    change it describes. CPR numbers in the texts and the data are masked.
    """
    if subject.pk is None:
        raise ValueError("a timeline subject must be saved before events are recorded")
    if not kind or len(kind) > _KIND_MAX:
        raise ValueError(f"a timeline kind is 1 to {_KIND_MAX} characters: {kind!r}")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise TypeError("timeline data must be a dict")
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise ValueError("timeline times must be aware datetimes")
    subject_type, subject_id = subject_key(subject)
    actor_id, actor_text = _actor_fields(actor)
    # Stored exactly as the database will hand it back, so the returned event and
    # a re-read one are equal and hash alike.
    data = to_stored_json(_clean(data))
    subject_text = mask_cpr(str(subject))[:_TEXT_MAX]

    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with transaction.atomic(using=router.db_for_write(TimelineEvent)):
                _lock(subject, (subject_type, subject_id))
                head = (
                    TimelineEvent.objects.filter(subject_type=subject_type, subject_id=subject_id)
                    .order_by("-seq")
                    .values_list("seq", "hash")
                    .first()
                )
                event = TimelineEvent(
                    subject_type=subject_type,
                    subject_id=subject_id,
                    subject_text=subject_text,
                    seq=head[0] + 1 if head else 1,
                    at=at,
                    actor_id=actor_id,
                    actor_text=actor_text,
                    kind=kind,
                    data=data,
                    prev_hash=head[1] if head else GENESIS_HASH,
                )
                event.seal()
                event.save(force_insert=True)
                return event
        except IntegrityError:
            if attempt == _ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def events_for(subject: models.Model):
    subject_type, subject_id = subject_key(subject)
    return TimelineEvent.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by(
        "seq"
    )


# --- Verification ---


@dataclass(frozen=True)
class BrokenLink:
    subject_type: str
    subject_id: str
    seq: int | None
    reason: str

    def __str__(self) -> str:
        at = f" seq {self.seq}" if self.seq is not None else ""
        return f"{self.subject_type}#{self.subject_id}{at}: {self.reason}"


@dataclass
class Verification:
    chains: int = 0
    events: int = 0
    broken: list[BrokenLink] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken


def _check_link(event: TimelineEvent, expected_seq: int, prev_hash: str) -> str:
    if event.seq != expected_seq:
        return f"sequence gap: expected seq {expected_seq}, found {event.seq}"
    if event.prev_hash != prev_hash:
        return "previous hash does not match the event before it"
    if event.is_purged:
        if event.data != TOMBSTONE or event.content_salt:
            return "a purged event still holds content"
        if event.hash_version == HASH_V1:
            # Recorded before digests: its hash covered the data that is gone, so only
            # its place in the chain (the next event's prev_hash, the exported heads)
            # still vouches for it.
            return ""
    elif event.content_digest and event.digest_of_content() != event.content_digest:
        return "hash does not match the event's contents: the data differs from its digest"
    if event.compute_hash() != event.hash:
        return "hash does not match the event's contents"
    return ""


def verify_chain(events: Iterable[TimelineEvent]) -> tuple[bool, TimelineEvent | None, str]:
    """Walk one subject's events in order; return (ok, first broken event, reason)."""
    prev, expected = GENESIS_HASH, 1
    for event in events:
        reason = _check_link(event, expected, prev)
        if reason:
            return False, event, reason
        prev, expected = event.hash, expected + 1
    return True, None, ""


def verify_all() -> Verification:
    """Every chain, streamed in one ordered pass; names each broken chain's first bad link."""
    result = Verification()
    key = None
    prev, expected, broken = GENESIS_HASH, 1, False
    events = TimelineEvent.objects.order_by("subject_type", "subject_id", "seq")
    for event in events.iterator(chunk_size=2000):
        result.events += 1
        if (event.subject_type, event.subject_id) != key:
            key = (event.subject_type, event.subject_id)
            result.chains += 1
            prev, expected, broken = GENESIS_HASH, 1, False
        if broken:
            continue
        reason = _check_link(event, expected, prev)
        if reason:
            broken = True
            result.broken.append(BrokenLink(*key, event.seq, reason))
        prev, expected = event.hash, expected + 1
    return result


def heads() -> list[dict]:
    """The latest event of every chain, in one query, for the export out of the database."""
    latest = TimelineEvent.objects.order_by("subject_type", "subject_id", "-seq")
    if connections[latest.db].vendor == "postgresql":
        # DISTINCT ON walks the (subject, -seq) index once.
        latest = latest.distinct("subject_type", "subject_id")
    else:
        newer = TimelineEvent.objects.filter(
            subject_type=OuterRef("subject_type"),
            subject_id=OuterRef("subject_id"),
            seq__gt=OuterRef("seq"),
        )
        latest = latest.filter(~Exists(newer))
    return [
        {
            "subject_type": row["subject_type"],
            "subject_id": row["subject_id"],
            "seq": row["seq"],
            "at": row["at"].isoformat(),
            "hash": row["hash"],
        }
        for row in latest.values("subject_type", "subject_id", "seq", "at", "hash")
    ]


def verify_heads(exported: Iterable[dict]) -> list[BrokenLink]:
    """Compare heads exported earlier with the database: each must still be there,
    unchanged. Catches a chain rewritten from some event onwards, or cut short."""
    wanted: dict[str, dict[tuple[str, int], str]] = {}
    for head in exported:
        wanted.setdefault(head["subject_type"], {})[(str(head["subject_id"]), int(head["seq"]))] = (
            head["hash"]
        )
    problems = []
    for subject_type, positions in sorted(wanted.items()):
        stored = {
            (subject_id, seq): hash_
            for subject_id, seq, hash_ in TimelineEvent.objects.filter(
                subject_type=subject_type,
                subject_id__in={subject_id for subject_id, _seq in positions},
                seq__in={seq for _subject_id, seq in positions},
            ).values_list("subject_id", "seq", "hash")
        }
        for (subject_id, seq), hash_ in sorted(positions.items()):
            if (subject_id, seq) not in stored:
                reason = "the exported head is missing from the database"
            elif stored[(subject_id, seq)] != hash_:
                reason = "the hash differs from the exported head"
            else:
                continue
            problems.append(BrokenLink(subject_type, subject_id, seq, reason))
    return problems


# --- Retention: content to tombstone, the one UPDATE the timeline allows ---

PURGE_FLAG = "beredskab.timeline_purge"


def purge_content(subject: models.Model, *, now: datetime | None = None) -> int:
    """Replace the data of every event of `subject`'s chain with the tombstone.

    The digest, the hash and every other column stay, so the chain still verifies.
    On PostgreSQL the append-only trigger lets this UPDATE through only with the
    session flag set here (for this transaction alone) and only when nothing but
    data, salt and purged_at change, from content to the tombstone. Returns how many
    events were purged (0 when run again).
    """
    now = now or timezone.now()
    subject_type, subject_id = subject_key(subject)
    using = router.db_for_write(TimelineEvent)
    with transaction.atomic(using=using):
        postgres = connections[using].vendor == "postgresql"
        if postgres:
            _set_purge_flag(using, "on")
        count = TimelineEvent.objects.filter(
            subject_type=subject_type, subject_id=subject_id, purged_at__isnull=True
        ).update(data=TOMBSTONE, content_salt="", purged_at=now)
        # Off again at once: the flag is local to the transaction, which may go on.
        # (A failed UPDATE rolls back to the savepoint, and the flag with it.)
        if postgres:
            _set_purge_flag(using, "off")
    return count


def _set_purge_flag(using: str, value: str) -> None:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [PURGE_FLAG, value])


# --- Describing events for people ---

_DESCRIPTIONS: dict[str, Any] = {}
# Per kind: data keys whose stored value is a choice ("home") read as its label
# ("At home"), and keys holding an ISO timestamp read as local time.
_LABELS: dict[str, dict[str, Any]] = {}
_TIMES: dict[str, tuple[str, ...]] = {}


def register_kind(kind: str, text, *, labels=None, times: tuple[str, ...] = ()) -> None:
    """Say how events of `kind` read, e.g. register_kind("system.updated",
    gettext_lazy("Changed %(fields)s")): placeholders name keys of the event's data.
    `text` may also be a function of the data (for ngettext: a count's plural form).

    `labels` maps a data key to its choices (a TextChoices class or a dict), so a stored
    value reads in the reader's language; `times` names keys holding ISO timestamps."""
    _DESCRIPTIONS[kind] = text
    _LABELS[kind] = {key: dict(getattr(c, "choices", c)) for key, c in (labels or {}).items()}
    _TIMES[kind] = tuple(times)


class _DataForText(dict):
    """Placeholders read as text; a key the data lacks reads as nothing."""

    def __init__(self, data, labels=None, times=()):
        super().__init__(data)
        self.labels = labels or {}
        self.times = times

    def __getitem__(self, key):
        if key not in self:
            return ""
        value = super().__getitem__(key)
        if key in self.labels and isinstance(value, list):
            return _as_text([str(self.labels[key].get(item, item)) for item in value])
        if key in self.labels and value in self.labels[key]:
            return str(self.labels[key][value])
        if key in self.times and isinstance(value, str):
            return _local_time_text(value)
        return _as_text(value)


def _local_time_text(value: str) -> str:
    from django.utils import formats
    from django.utils.dateparse import parse_datetime

    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None or timezone.is_naive(moment):
        return value
    moment = timezone.localtime(moment)
    return f"{formats.date_format(moment, 'SHORT_DATE_FORMAT')} {moment:%H:%M}"


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_as_text(item) for item in value) or "–"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_as_text(item)}" for key, item in value.items())
    if value is None:
        return "–"
    return str(value)


def describe(event: TimelineEvent) -> str:
    """One line for people: the registered text for the kind, else the kind and data."""
    if event.is_purged:
        return _("%(kind)s (content removed under the retention rule)") % {
            "kind": _kind_line(event.kind)
        }
    data = event.data if isinstance(event.data, dict) else {"data": event.data}
    text = _DESCRIPTIONS.get(event.kind)
    if text is not None:
        values = _DataForText(data, _LABELS.get(event.kind), _TIMES.get(event.kind, ()))
        try:
            # A function reads the data itself: a text with counts picks its plural form.
            return text(values) if callable(text) else str(text) % values
        except (TypeError, ValueError):
            pass  # a text that does not fit its data falls back to the plain form
    line = _kind_line(event.kind)
    details = _as_text({key: value for key, value in data.items() if value not in ("", None)})
    return _("%(kind)s (%(details)s)") % {"kind": line, "details": details} if details else line


def _kind_line(kind: str) -> str:
    line = kind.replace("_", " ").replace(".", ": ", 1).replace(".", " ")
    return line[:1].upper() + line[1:]
