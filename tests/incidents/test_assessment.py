"""ENISA severity: SE = DPC × EI + CB, the bands, the DPC's adjustments and the decision."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from beredskab import timeline
from incidents.models import Assessment, Decision, DpcAdjustment, Severity
from incidents.models.gdpr import score, severity_for


@pytest.mark.parametrize(
    "dpc, ei, cb, expected, severity",
    [
        ("1", "0.25", "0", "0.25", Severity.LOW),
        ("2", "0.75", "0.25", "1.75", Severity.LOW),
        ("3", "0.5", "0.5", "2.00", Severity.MEDIUM),
        ("4", "0.75", "0", "3.00", Severity.HIGH),
        ("4", "0.75", "0.75", "3.75", Severity.HIGH),
        ("4", "1", "0", "4.00", Severity.VERY_HIGH),
        ("4", "1", "2", "6.00", Severity.VERY_HIGH),
    ],
)
def test_it_scores_and_bands_like_enisa(dpc, ei, cb, expected, severity):
    se = score(Decimal(dpc), Decimal(ei), Decimal(cb))
    assert se == Decimal(expected)
    assert severity_for(se) == severity


def assess(client, incident, **overrides):
    data = {
        "data_type": "4",
        "ei": "0.75",
        "cb_confidentiality": "0.50",
        "cb_integrity": "0.00",
        "cb_availability": "0.00",
        "cb_malicious": "0.00",
        "reasoning": "Helbredsoplysninger om 12 borgere sendt til forkert modtager",
        **overrides,
    }
    return client.post(reverse("incidents:assess", args=[incident.pk]), data)


def test_it_saves_the_inputs_and_reasoning_and_sets_the_severity(client_as, people, make_incident):
    incident = make_incident()
    response = assess(client_as(people["koordinator"]), incident)
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:decide", args=[incident.pk])
    assessment = Assessment.objects.get()
    assert assessment.dpc == 4 and assessment.ei == Decimal("0.75")
    assert assessment.score == Decimal("3.50")
    assert assessment.severity == Severity.HIGH
    assert "Helbredsoplysninger" in assessment.reasoning
    incident.refresh_from_db()
    assert incident.severity == Severity.HIGH
    event = [e for e in timeline.events_for(incident) if e.kind == "incident.assessed"][0]
    assert event.data["score"] == "3.50"


def test_it_shows_the_recommendation_with_the_enisa_score_as_one_factor(
    client_as, people, make_incident
):
    incident = make_incident()
    client = client_as(people["koordinator"])
    assess(client, incident)
    page = client.get(reverse("incidents:decide", args=[incident.pk]))
    recommendation = page.context["recommendation"]
    assert recommendation.notify_authority and recommendation.inform_subjects
    assert "enisa_high" in recommendation.factor_codes
    assert recommendation.factors[0].label in page.content.decode()


def test_the_dpc_reaches_4_from_ordinary_data_with_a_recorded_context_factor(
    client_as, people, make_incident
):
    """ENISA 2013: names and phone numbers of people working undercover: simple data
    (basic score 1) that the context makes as severe as it gets (DPC 4)."""
    incident = make_incident()
    response = assess(
        client_as(people["koordinator"]),
        incident,
        data_type="1",
        factor_1="controller",
        change_1="3",
        reason_1="Listen over ansatte i en undercover-enhed: konteksten udstiller dem",
        ei="1.00",
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.data_type == 1 and assessment.dpc == 4
    assert assessment.score == Decimal("4.50") and assessment.severity == Severity.VERY_HIGH
    adjustment = assessment.adjustments.get()
    assert (adjustment.factor, adjustment.change) == ("controller", Decimal("3.00"))
    assert "undercover" in adjustment.reason
    event = [e for e in timeline.events_for(incident) if e.kind == "incident.assessed"][0]
    assert event.data["dpc_basic"] == "1" and event.data["dpc"] == "4.00"
    assert event.data["adjustments"][0]["factor"] == "controller"


def test_it_takes_several_adjustments_to_any_value_between_1_and_4(
    client_as, people, make_incident
):
    incident = make_incident()
    response = assess(
        client_as(people["koordinator"]),
        incident,
        data_type="3",
        factor_1="inaccurate",
        change_1="-1.75",
        reason_1="Kortene udløb for over ti år siden",
        factor_2="volume",
        change_2="0.25",
        reason_2="Mange kort samlet",
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.dpc == Decimal("1.50")
    assert assessment.adjustments.count() == 2


def test_it_refuses_an_adjustment_without_its_factor_in_danish(client_as, people, make_incident):
    incident = make_incident()
    client = client_as(people["koordinator"])
    client.cookies["django_language"] = "da"
    response = assess(client, incident, data_type="1", change_1="3", reason_1="Konteksten")
    assert response.status_code == 400
    assert "Angiv den faktor" in response.content.decode()
    assert not Assessment.objects.exists() and not DpcAdjustment.objects.exists()


def test_it_refuses_an_adjusted_dpc_out_of_range_or_without_a_reason(
    client_as, people, make_incident
):
    incident = make_incident()
    client = client_as(people["koordinator"])
    out_of_range = {"factor_1": "volume", "change_1": "1", "reason_1": "x"}
    assert assess(client, incident, **out_of_range).status_code == 400
    no_reason = {"data_type": "2", "factor_1": "volume", "change_1": "0.5"}
    assert assess(client, incident, **no_reason).status_code == 400
    assert assess(client, incident, ei="0.3").status_code == 400
    assert not Assessment.objects.exists()


def test_it_records_a_decision_not_to_notify_and_stops_the_clock(client_as, people, make_incident):
    incident = make_incident()
    response = client_as(people["koordinator"]).post(
        reverse("incidents:decide", args=[incident.pk]),
        {
            "decision": "not_notify",
            "no_risk_reason": "trusted_recipient",
            "rationale": "Ikke anmeldt, fordi mailen blev slettet ulæst af modtageren",
            "inform_subjects": "no",
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.decision == Decision.NOT_NOTIFY
    assert incident.no_risk_reason == "trusted_recipient"
    assert incident.clock_stopped_at is not None
    assert incident.clock_state() == "stopped"
    assert "slettet ulæst" in incident.decision_rationale
    kinds = [e.kind for e in timeline.events_for(incident)]
    assert kinds[-2:] == ["incident.decision", "incident.clock_stopped"]


def test_it_needs_a_rationale(client_as, people, make_incident):
    incident = make_incident()
    response = client_as(people["koordinator"]).post(
        reverse("incidents:decide", args=[incident.pk]),
        {"decision": "notify", "rationale": "", "inform_subjects": "yes"},
    )
    assert response.status_code == 400
    incident.refresh_from_db()
    assert incident.decision == Decision.PENDING


def test_it_keeps_assessment_and_decision_from_the_dpo_and_it(client_as, people, make_incident):
    incident = make_incident()
    for who in ("dpo", "it", "boss"):
        client = client_as(people[who])
        assert client.get(reverse("incidents:assess", args=[incident.pk])).status_code == 403
        assert client.get(reverse("incidents:decide", args=[incident.pk])).status_code == 403


def test_it_refuses_document_only_without_a_reason_in_danish(client_as, people, make_incident):
    incident = make_incident()
    client = client_as(people["koordinator"])
    client.cookies["django_language"] = "da"
    response = client.post(
        reverse("incidents:decide", args=[incident.pk]),
        {"decision": "not_notify", "rationale": "Ingen risiko", "inform_subjects": "no"},
    )
    assert response.status_code == 400
    assert "Kun dokumentation" in response.content.decode()
    incident.refresh_from_db()
    assert incident.decision == Decision.PENDING and incident.clock_stopped_at is None
    assert not [e for e in timeline.events_for(incident) if e.kind == "incident.decision"]


def test_the_service_refuses_document_only_without_a_reason(people, make_incident):
    from incidents.services import IncidentError, gdpr

    incident = make_incident()
    with pytest.raises(IncidentError):
        gdpr.decide(
            incident,
            decision="not_notify",
            rationale="x",
            inform_subjects="no",
            actor=people["koordinator"],
        )
    incident.refresh_from_db()
    assert incident.decision == Decision.PENDING


@pytest.mark.django_db(transaction=True)
def test_old_adjusted_assessments_keep_their_reason_through_the_migration():
    """incidents 0002: an adjusted DPC with its free-text reason becomes one adjustment
    (factor "other"); an unadjusted one gets none; the scores stay as they were."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    before = [("incidents", "0001_initial")]
    after = [("incidents", "0002_dpo_decisions")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    now = timezone.now()
    incident = old.get_model("incidents", "Incident").objects.create(
        reference="H-2026-00001", description="x", reported_at=now, aware_at=now
    )
    common = dict(
        incident=incident,
        ei=Decimal("1"),
        cb_confidentiality=0,
        cb_integrity=0,
        cb_availability=0,
        cb_malicious=0,
        reasoning="r",
        assessed_at=now,
    )
    Old = old.get_model("incidents", "Assessment")
    adjusted = Old.objects.create(
        data_type=2, dpc=Decimal("3"), dpc_reason="Kontekst", score=3, severity=3, **common
    )
    plain = Old.objects.create(data_type=2, dpc=Decimal("2"), score=2, severity=2, **common)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    rows = new.get_model("incidents", "DpcAdjustment").objects.values_list(
        "assessment_id", "factor", "change", "reason"
    )
    assert list(rows) == [(adjusted.pk, "other", Decimal("1.00"), "Kontekst")]
    assert new.get_model("incidents", "Assessment").objects.get(pk=plain.pk).dpc == 2

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
