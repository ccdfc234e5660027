"""The timeline: append-only events, one hash chain per subject."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.test.utils import isolate_apps
from django.utils import timezone

from beredskab import timeline
from beredskab.models import Supplier, TimelineEvent
from beredskab.models.timeline import GENESIS_HASH, compute_event_hash

CPR = "010190-1234"


@pytest.fixture
def supplier(db) -> Supplier:
    return Supplier.objects.create(name="Netcompany")


def reread(event: TimelineEvent) -> TimelineEvent:
    return TimelineEvent.objects.get(pk=event.pk)


def test_it_chains_events_of_one_subject(supplier):
    first = timeline.record(supplier, "supplier.created")
    second = timeline.record(supplier, "supplier.updated", data={"changed": ["name"]})
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert timeline.verify_chain(timeline.events_for(supplier)) == (True, None, "")


def test_it_keeps_one_chain_per_subject(supplier):
    other = Supplier.objects.create(name="KMD")
    timeline.record(supplier, "supplier.created")
    event = timeline.record(other, "supplier.created")
    assert (event.seq, event.prev_hash) == (1, GENESIS_HASH)
    assert event.subject_type == "beredskab.supplier"
    assert event.subject_id == str(other.pk)
    assert event.subject_text == "KMD"


def test_it_stores_the_actor_as_id_and_text(supplier, leader):
    event = reread(timeline.record(supplier, "supplier.updated", actor=leader))
    assert event.actor_id == leader.pk
    assert event.actor_text == str(leader.person)
    system_event = timeline.record(supplier, "supplier.checked", actor="beat")
    assert (system_event.actor_id, system_event.actor_text) == (None, "beat")


@pytest.mark.parametrize("microsecond", [0, 1, 123456, 999999])
def test_it_verifies_after_a_round_trip_through_the_database(supplier, microsecond):
    at = datetime(2026, 3, 29, 1, 59, 59, microsecond, tzinfo=ZoneInfo("Europe/Copenhagen"))
    data = {
        "text": "Ærø, Øster Åby, æøå ÆØÅ – “quotes” 🚒",
        "nested": {"z": [1, 2.5, {"deep": "søster"}], "a": None, "b": True},
        "when": timezone.now().replace(microsecond=microsecond or 1),
        "day": date(2026, 11, 27),
        "amount": Decimal("1234.50"),
        "floats": [1.0, 1e16, -0.0, 0.1, 1.5e-300, 12345678901234567890],
        "tuple": ("a", "b"),
        7: "integer key",
    }
    event = timeline.record(supplier, "supplier.updated", data=data, at=at)
    stored = reread(event)
    assert stored.at == at
    assert stored.data == event.data
    assert stored.compute_hash() == stored.hash == event.hash
    assert stored.data["nested"]["z"][2]["deep"] == "søster"


def test_it_hashes_the_same_bytes_on_every_database():
    # A fixed event's hash: if this changes, every stored chain stops verifying.
    fields = {
        "subject_type": "beredskab.system",
        "subject_id": "7",
        "subject_text": "Samwin",
        "seq": 2,
        "at": datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=UTC),
        "actor_id": 3,
        "actor_text": "Ærlige Åse",
        "kind": "system.updated",
        "data": {"changed": ["name", "purpose"], "note": "øæå", "n": 1.0},
        "prev_hash": "a" * 64,
    }
    expected = "4ea0278b4d7ded3206b65de834e1ea4d09ec148e358fc94cdc09c1a2d067937b"
    assert compute_event_hash(**fields) == expected
    # The same instant in another zone, and 1 for 1.0, are the same event.
    copenhagen = fields["at"].astimezone(ZoneInfo("Europe/Copenhagen"))
    assert compute_event_hash(**{**fields, "at": copenhagen}) == expected
    assert compute_event_hash(**{**fields, "data": {**fields["data"], "n": 1}}) == expected
    assert compute_event_hash(**{**fields, "seq": 3}) != expected


def test_it_keeps_a_cpr_number_typed_into_data_out_of_the_database(supplier, leader):
    event = timeline.record(
        supplier,
        "supplier.note",
        actor=leader,
        data={
            "note": f"Borgeren {CPR} ringede",
            "nested": {"list": [f"cpr {CPR.replace('-', '')}", f"x{CPR.replace('-', ' ')}"]},
            CPR: "as a key",
        },
    )
    assert "1234" not in str(event.data)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM beredskab_timelineevent WHERE id = %s", [event.pk])
        row = cursor.fetchone()
    raw = repr(row)
    assert "XXXXXX-XXXX" in raw
    assert "1234" not in raw and "010190" not in raw
    assert reread(event).compute_hash() == event.hash


def test_it_masks_cpr_in_the_subject_and_actor_text(supplier):
    supplier.name = f"Note {CPR}"
    event = timeline.record(supplier, "supplier.updated", actor=f"Telefon {CPR}")
    assert CPR not in event.subject_text and CPR not in event.actor_text


def test_it_drops_nul_characters_and_refuses_nan(supplier):
    event = timeline.record(supplier, "supplier.note", data={"note": "a\x00b"})
    assert reread(event).data == {"note": "ab"}
    with pytest.raises(ValueError):
        timeline.record(supplier, "supplier.note", data={"x": float("nan")})


def test_it_refuses_bad_input(supplier):
    with pytest.raises(ValueError):
        timeline.record(Supplier(name="unsaved"), "supplier.created")
    with pytest.raises(ValueError):
        timeline.record(supplier, "")
    with pytest.raises(ValueError):
        timeline.record(supplier, "x" * 61)
    with pytest.raises(ValueError):
        timeline.record(supplier, "supplier.note", at=datetime(2026, 1, 1, 12, 0))
    with pytest.raises(TypeError):
        timeline.record(supplier, "supplier.note", data=["not", "a", "dict"])
    assert not TimelineEvent.objects.exists()


def test_it_keeps_a_proxy_model_on_the_same_chain(supplier):
    with isolate_apps("beredskab"):  # keeps the proxy out of the real app registry

        class SupplierProxy(Supplier):
            class Meta:
                proxy = True
                app_label = "beredskab"

    timeline.record(supplier, "supplier.created")
    event = timeline.record(SupplierProxy(pk=supplier.pk, name=supplier.name), "supplier.updated")
    assert (event.subject_type, event.seq) == ("beredskab.supplier", 2)


def test_it_forbids_two_events_in_one_position(supplier):
    event = timeline.record(supplier, "supplier.created")
    twin = TimelineEvent(
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        seq=1,
        at=event.at,
        kind="forged",
        prev_hash=GENESIS_HASH,
        hash="f" * 64,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save(force_insert=True)


def test_it_rolls_back_with_the_change_it_describes(supplier):
    with pytest.raises(RuntimeError), transaction.atomic():
        timeline.record(supplier, "supplier.updated")
        raise RuntimeError("the change failed")
    assert not timeline.events_for(supplier).exists()
    assert timeline.record(supplier, "supplier.updated").seq == 1


def test_it_describes_events_for_people(supplier):
    timeline.register_kind("test.renamed", "Renamed from %(old)s to %(new)s%(missing)s")
    renamed = timeline.record(supplier, "test.renamed", data={"old": "KMD", "new": "Netcompany"})
    assert renamed.description == "Renamed from KMD to Netcompany"
    plain = timeline.record(supplier, "supplier.updated", data={"changed": ["name", "notes"]})
    assert plain.description == "Supplier: updated (changed: name, notes)"
    assert timeline.record(supplier, "supplier.created").description == "Supplier: created"


def test_it_renders_the_fragment_in_copenhagen_time(supplier, leader):
    at = datetime(2026, 7, 1, 10, 5, tzinfo=UTC)  # summer time: 12:05 in Copenhagen
    timeline.record(supplier, "supplier.updated", actor=leader, data={"changed": ["name"]}, at=at)
    timeline.record(supplier, "supplier.checked", at=at + timedelta(days=200))  # winter: +1
    html = render_to_string("beredskab/_timeline.html", {"events": timeline.events_for(supplier)})
    assert "12:05" in html and 'datetime="2026-07-01T12:05:00+02:00"' in html
    assert "2027-01-17T11:05:00+01:00" in html
    assert str(leader.person) in html
    assert "supplier.updated" in html and "Supplier: updated (changed: name)" in html
    assert html.index("supplier.updated") < html.index("supplier.checked")


def test_it_renders_an_empty_fragment(db):
    html = render_to_string("beredskab/_timeline.html", {"events": []})
    assert "<ol" not in html
    assert 'class="empty"' in html


def test_it_describes_stored_choices_by_their_label_and_times_in_local_time(db, department):
    from django.db import models as m
    from django.utils import translation

    class Colour(m.TextChoices):
        RED = "red", "Red as a label"

    timeline.register_kind(
        "test.labelled",
        "Now %(colour)s until %(until)s (%(other)s)",
        labels={"colour": Colour},
        times=("until",),
    )
    event = timeline.record(
        department,
        "test.labelled",
        data={"colour": "red", "until": "2026-07-01T10:00:00+00:00", "other": "blue"},
    )
    with translation.override("en"):
        text = timeline.describe(event)
    # 10:00 UTC is 12:00 in Copenhagen in summer; the unknown value stays as stored.
    assert text.startswith("Now Red as a label until ")
    assert "12:00" in text and "blue" in text
    assert "red" not in text.replace("Red", "")
