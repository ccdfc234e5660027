"""The system outage's state machine: allowed moves, refused moves, the timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from beredskab import timeline
from beredskab.models import EscalationRun, EventKind
from outages.models import OutageError, OutageStatus, SystemOutage
from outages.services.system import declare


def kinds(outage) -> list[str]:
    return list(timeline.events_for(outage).values_list("kind", flat=True))


def test_it_walks_the_whole_way_and_writes_each_step(declared, it_user):
    later = timezone.now() + timedelta(hours=3)
    declared.contact_supplier(eta=later, note="Netcompany kigger på det", actor=it_user)
    declared.start_restoring(note="Genstarter", actor=it_user)
    declared.mark_restored(note="Kører igen", actor=it_user)
    declared.close(
        what_happened="Databasen gik ned",
        what_worked="Leverandøren",
        plan_changes="",
        actor=it_user,
    )
    declared.refresh_from_db()
    assert declared.status == OutageStatus.CLOSED
    assert declared.closed_at is not None and declared.restored_at is not None
    assert kinds(declared) == [
        "outage.reported",
        "outage.declared",
        "outage.escalation_started",
        "outage.supplier_contacted",
        "outage.restoring",
        "outage.restored",
        "outage.closed",
    ]


def test_it_starts_the_system_outage_chain_when_declared(declared):
    run = EscalationRun.objects.get(pk=declared.run_id)
    assert run.event_kind == EventKind.SYSTEM_OUTAGE
    assert "SBSYS" in run.title


def test_it_records_that_no_chain_exists(reported, it_user, sbsys):
    declare(reported, [(sbsys, "degraded")], actor=it_user)
    reported.refresh_from_db()
    assert reported.run_id is None
    assert "outage.no_chain" in kinds(reported)
    assert reported.affected.get().impact == "degraded"


def test_it_refuses_moves_the_map_does_not_allow(reported, it_user):
    with pytest.raises(OutageError):
        reported.mark_restored(note="", actor=it_user)
    with pytest.raises(OutageError):
        reported.close(what_happened="x", what_worked="", plan_changes="", actor=it_user)
    reported.refresh_from_db()
    assert reported.status == OutageStatus.REPORTED
    assert kinds(reported) == ["outage.reported"]


def test_it_dismisses_only_from_reported_and_needs_a_reason(reported, declared, it_user):
    other = SystemOutage.objects.create(
        description="x", reported_at=timezone.now(), last_update_at=timezone.now()
    )
    with pytest.raises(OutageError):
        other.dismiss(reason="  ", actor=it_user)
    other.dismiss(reason="Brugerfejl", actor=it_user)
    other.refresh_from_db()
    assert other.status == OutageStatus.DISMISSED and other.dismiss_reason == "Brugerfejl"
    with pytest.raises(OutageError):
        declared.dismiss(reason="For sent", actor=it_user)


def test_it_refuses_a_declaration_without_systems(reported, it_user):
    with pytest.raises(OutageError):
        reported.declare([], actor=it_user)
    reported.refresh_from_db()
    assert reported.status == OutageStatus.REPORTED


def test_it_masks_cpr_numbers_in_the_after_action_note(declared, it_user):
    declared.mark_restored(note="", actor=it_user)
    declared.close(
        what_happened="Borger 010190-1234 ringede", what_worked="", plan_changes="", actor=it_user
    )
    declared.refresh_from_db()
    assert "010190-1234" not in declared.what_happened


def test_it_shows_what_staff_cannot_do_and_the_supplier(declared):
    assert declared.cannot_do() == [
        "Ingen ajourføring af borgersager",
        "Ingen kontaktoplysninger",
        "Ingen afgørelser",
    ]
    assert [s.name for s in declared.suppliers()] == ["Netcompany"]
