"""Periodic jobs of the shared core: the heartbeat and the export of chain heads."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import pytest

from beredskab import timeline
from beredskab.models import Heartbeat, Supplier
from beredskab.tasks import export_timeline_heads, heartbeat


@pytest.fixture
def subjects(db) -> list[Supplier]:
    suppliers = [Supplier.objects.create(name=f"Leverandør {n}") for n in range(3)]
    for n, supplier in enumerate(suppliers):
        for _ in range(n + 1):
            timeline.record(supplier, "supplier.updated")
    return suppliers


def test_it_records_a_heartbeat(db):
    heartbeat("worker:test", detail="alive")
    first = Heartbeat.objects.get(name="worker:test")
    heartbeat("worker:test", detail="still alive")
    second = Heartbeat.objects.get(name="worker:test")
    assert second.detail == "still alive"
    assert second.last_seen >= first.last_seen
    assert Heartbeat.objects.count() == 1


def test_it_finds_every_chain_head_in_one_query(subjects, django_assert_num_queries):
    with django_assert_num_queries(1):
        heads = timeline.heads()
    expected = {
        (str(s.pk), e.seq, e.hash)
        for s in subjects
        for e in [timeline.events_for(s).order_by("-seq").first()]
    }
    assert {(h["subject_id"], h["seq"], h["hash"]) for h in heads} == expected
    assert [h["seq"] for h in sorted(heads, key=lambda h: int(h["subject_id"]))] == [1, 2, 3]


def test_it_exports_the_chain_heads_to_a_file_and_the_log(subjects, settings, tmp_path, caplog):
    settings.VAR_DIR = tmp_path
    now = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    with caplog.at_level(logging.INFO, logger="beredskab.tasks"):
        assert export_timeline_heads(now=now) == 3
    path = tmp_path / "timeline-heads" / "heads-20261127T020000Z.json"
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert {(h["subject_id"], h["hash"]) for h in exported} == {
        (h["subject_id"], h["hash"]) for h in timeline.heads()
    }
    for head in exported:
        assert f"#{head['subject_id']} seq={head['seq']} hash={head['hash']}" in caplog.text
    assert "Leverandør" not in path.read_text(encoding="utf-8")  # ids and hashes only
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_it_exports_an_empty_list_without_chains(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert export_timeline_heads() == 0
    (path,) = (tmp_path / "timeline-heads").iterdir()
    assert json.loads(path.read_text(encoding="utf-8")) == []
