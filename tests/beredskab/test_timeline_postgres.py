"""The timeline on PostgreSQL: the append-only trigger and concurrent appends."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from beredskab import timeline
from beredskab.models import Supplier, TimelineEvent
from beredskab.models.timeline import GENESIS_HASH

TABLE = "beredskab_timelineevent"


@pytest.fixture
def supplier(postgres) -> Supplier:
    return Supplier.objects.create(name="Netcompany")


def test_it_forbids_update_in_the_database(supplier):
    event = timeline.record(supplier, "supplier.created")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TimelineEvent.objects.filter(pk=event.pk).update(kind="forged")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET data = '{{}}' WHERE id = %s", [event.pk])
    assert TimelineEvent.objects.get(pk=event.pk).kind == "supplier.created"


def test_it_forbids_delete_in_the_database(supplier):
    event = timeline.record(supplier, "supplier.created")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TimelineEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
    assert TimelineEvent.objects.filter(pk=event.pk).exists()


def test_it_allows_insert_in_the_database(supplier):
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (subject_type, subject_id, subject_text, seq, at, actor_text,"
            " kind, data, prev_hash, hash) VALUES (%s, %s, '', 1, %s, '', 'raw', '{}', %s, %s)",
            ["beredskab.supplier", str(supplier.pk), timezone.now(), GENESIS_HASH, "0" * 64],
        )
    assert timeline.record(supplier, "supplier.updated").seq == 2


def append_concurrently(subject, threads: int = 4, each: int = 15) -> list[BaseException]:
    """`threads` threads, each on its own connection, appending `each` events at once."""
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            start.wait(timeout=30)
            for i in range(each):
                timeline.record(subject, "supplier.updated", data={"thread": n, "i": i})
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not any(worker.is_alive() for worker in workers)
    return errors


def assert_one_unforked_chain(subject, count: int) -> None:
    events = list(timeline.events_for(subject))
    assert [e.seq for e in events] == list(range(1, count + 1))
    assert len({e.prev_hash for e in events}) == count  # no two events share a parent
    assert timeline.verify_chain(events) == (True, None, "")
    assert timeline.verify_all().ok


def test_it_never_forks_a_chain_under_concurrent_appends(postgres, transactional_db):
    subject = Supplier.objects.create(name="KMD")
    assert append_concurrently(subject) == []
    assert_one_unforked_chain(subject, 4 * 15)


def test_it_never_forks_a_chain_whose_subject_row_is_gone(postgres, transactional_db):
    # No row to lock: the unique (subject, seq) constraint and a retry keep the chain whole.
    subject = Supplier(pk=987654, name="Slettet leverandør")
    assert append_concurrently(subject, threads=2, each=20) == []
    assert_one_unforked_chain(subject, 2 * 20)
