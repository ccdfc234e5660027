"""Retention on the timeline: content becomes a tombstone, the digest and the chain stay.

Hash version 2 covers a salted digest of the data, so purging the data (and the salt)
keeps every hash valid; verify_timeline still passes and still names a changed event.
On PostgreSQL the purge is the one UPDATE the append-only trigger lets through.
"""

from __future__ import annotations

import importlib
import json
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from beredskab import timeline
from beredskab.models import Supplier, TimelineEvent
from beredskab.models.timeline import GENESIS_HASH, HASH_V1, HASH_V2, compute_event_hash
from tests.beredskab.test_timeline_verify import behind_its_back, verify_broken

TABLE = "beredskab_timelineevent"
SECRET = "Jens Hemmelighedsen, Løvstræde 7"


@pytest.fixture
def supplier(db) -> Supplier:
    return Supplier.objects.create(name="Netcompany")


def reread(event: TimelineEvent) -> TimelineEvent:
    return TimelineEvent.objects.get(pk=event.pk)


def verify_ok() -> str:
    out = StringIO()
    call_command("verify_timeline", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_hashes_new_events_over_a_salted_digest(supplier):
    one = timeline.record(supplier, "supplier.note", data={"note": SECRET})
    two = timeline.record(supplier, "supplier.note", data={"note": SECRET})
    assert one.hash_version == HASH_V2 and len(one.content_salt) == 32
    # The same content under two salts: the kept digest cannot confirm a guess.
    assert one.content_digest != two.content_digest
    assert reread(one).digest_of_content() == one.content_digest


def test_it_purges_content_and_the_chain_still_verifies(supplier):
    first = timeline.record(supplier, "supplier.note", data={"note": SECRET})
    timeline.record(supplier, "supplier.updated", data={"fields": ["name"]})
    assert timeline.purge_content(supplier) == 2
    purged = reread(first)
    assert purged.data == {} and purged.content_salt == "" and purged.purged_at is not None
    assert purged.content_digest == first.content_digest and purged.hash == first.hash
    assert SECRET not in purged.description
    assert "slettereglen" in purged.description  # the portal speaks Danish
    assert verify_ok().strip() == "OK: 1 chains, 2 events"
    assert timeline.purge_content(supplier) == 0  # idempotent


def test_it_still_names_a_changed_event_after_the_purge(supplier):
    for n in range(3):
        timeline.record(supplier, "supplier.note", data={"note": SECRET, "n": n})
    timeline.purge_content(supplier)
    second = timeline.events_for(supplier).get(seq=2)
    behind_its_back(f"UPDATE {TABLE} SET kind = 'supplier.forged' WHERE id = %s", [second.pk])
    _, err = verify_broken()
    assert f"beredskab.supplier#{supplier.pk} seq 2: hash does not match" in err


def test_it_names_a_purged_event_whose_digest_was_changed(supplier):
    event = timeline.record(supplier, "supplier.note", data={"note": SECRET})
    timeline.purge_content(supplier)
    behind_its_back(f"UPDATE {TABLE} SET content_digest = %s WHERE id = %s", ["a" * 64, event.pk])
    _, err = verify_broken()
    assert f"#{supplier.pk} seq 1: hash does not match" in err


def test_it_names_a_tombstone_that_still_holds_content(supplier):
    event = timeline.record(supplier, "supplier.note", data={"note": "x"})
    timeline.purge_content(supplier)
    behind_its_back(
        f"UPDATE {TABLE} SET data = %s WHERE id = %s", [json.dumps({"note": "y"}), event.pk]
    )
    _, err = verify_broken()
    assert "seq 1: a purged event still holds content" in err


def _version_1_event(subject, data) -> TimelineEvent:
    """An event as recorded before digests: hash over the data, no salt, no digest."""
    event = TimelineEvent(
        subject_type="beredskab.supplier",
        subject_id=str(subject.pk),
        subject_text=str(subject),
        seq=1,
        at=timezone.now(),
        kind="supplier.note",
        data=data,
        prev_hash=GENESIS_HASH,
        hash_version=HASH_V1,
    )
    event.hash = compute_event_hash(**event._fields(), data=data)
    event.save(force_insert=True)
    return event


class _Editor:
    """What the migration uses of a schema editor (SQLite's cannot open inside a test)."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, ())  # as the schema editor does: %% reads as %


def test_the_migration_gives_old_events_digests_and_keeps_their_hashes(supplier):
    old = _version_1_event(supplier, {"note": SECRET})
    migration = importlib.import_module("beredskab.migrations.0016_aftermath_timeline_digests")
    migration.digests(django_apps, _Editor())
    migrated = reread(old)
    assert migrated.hash == old.hash and migrated.hash_version == HASH_V1
    assert migrated.content_digest == migrated.digest_of_content() != ""
    timeline.record(supplier, "supplier.updated")  # a version-2 event after it
    assert verify_ok().strip() == "OK: 1 chains, 2 events"
    # An old event can be purged too; its place in the chain still vouches for it.
    assert timeline.purge_content(supplier) == 2
    assert reread(old).data == {}
    assert verify_ok().strip() == "OK: 1 chains, 2 events"


def test_an_unpurged_old_event_is_still_checked_against_its_data(supplier):
    old = _version_1_event(supplier, {"note": "før"})
    behind_its_back(
        f"UPDATE {TABLE} SET data = %s WHERE id = %s", [json.dumps({"note": "efter"}), old.pk]
    )
    _, err = verify_broken()
    assert "seq 1: hash does not match" in err


# --- PostgreSQL: the trigger lets exactly the purge through ---


@pytest.fixture
def pg_supplier(postgres) -> Supplier:
    return Supplier.objects.create(name="KMD")


def refused(sql: str, params: list, *, flag: bool) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            if flag:
                cursor.execute("SELECT set_config(%s, 'on', true)", [timeline.PURGE_FLAG])
            cursor.execute(sql, params)


def test_an_ordinary_update_is_still_refused(pg_supplier):
    event = timeline.record(pg_supplier, "supplier.note", data={"note": SECRET})
    now = timezone.now()
    tombstone = f"UPDATE {TABLE} SET data = '{{}}', content_salt = '', purged_at = %s"
    # The tombstone itself, but without the session flag.
    refused(tombstone + " WHERE id = %s", [now, event.pk], flag=False)
    # With the flag: content that is not the tombstone, or the salt kept.
    refused(
        f"UPDATE {TABLE} SET data = '{{\"note\": \"x\"}}', content_salt = '', purged_at = %s"
        " WHERE id = %s",
        [now, event.pk],
        flag=True,
    )
    keeps_salt = f"UPDATE {TABLE} SET data = '{{}}', purged_at = %s WHERE id = %s"
    refused(keeps_salt, [now, event.pk], flag=True)
    # With the flag: any other column changed alongside.
    for column, value in [("kind", "forged"), ("hash", "f" * 64), ("content_digest", "a" * 64)]:
        refused(tombstone + f", {column} = %s WHERE id = %s", [now, value, event.pk], flag=True)
    # With the flag: DELETE.
    refused(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk], flag=True)
    assert reread(event).data == {"note": SECRET}
    # The purge itself goes through, once; a purged event cannot be changed again.
    assert timeline.purge_content(pg_supplier) == 1
    refused(
        f"UPDATE {TABLE} SET purged_at = %s WHERE id = %s", [timezone.now(), event.pk], flag=True
    )


def test_the_purge_flag_does_not_outlive_the_purge(pg_supplier):
    event = timeline.record(pg_supplier, "supplier.note", data={"note": SECRET})
    other = Supplier.objects.create(name="Other")
    with transaction.atomic():
        timeline.purge_content(other)
        # Later in the same transaction the flag is off again.
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            TimelineEvent.objects.filter(pk=event.pk).update(
                data={}, content_salt="", purged_at=timezone.now()
            )
    assert reread(event).purged_at is None
