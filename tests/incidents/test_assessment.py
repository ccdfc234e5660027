"""ENISA severity: SE = DPC × EI + CB, the bands, the recommendation and the decision."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from beredskab import timeline
from incidents.models import Assessment, Decision, Severity
from incidents.models.gdpr import recommendation, score, severity_for


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


def test_it_recommends_by_severity():
    assert recommendation(Severity.LOW) == {"notify": False, "inform_subjects": False}
    assert recommendation(Severity.MEDIUM) == {"notify": True, "inform_subjects": False}
    assert recommendation(Severity.HIGH) == {"notify": True, "inform_subjects": True}
    assert recommendation(Severity.VERY_HIGH)["inform_subjects"]


def assess(client, incident, **overrides):
    data = {
        "data_type": "4",
        "adjustment": "0",
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


def test_it_shows_the_recommendation_on_the_decision_page(client_as, people, make_incident):
    incident = make_incident()
    client = client_as(people["koordinator"])
    assess(client, incident)
    page = client.get(reverse("incidents:decide", args=[incident.pk]))
    assert page.context["recommendation"] == {"notify": True, "inform_subjects": True}


def test_it_refuses_an_adjusted_dpc_out_of_range_or_without_a_reason(
    client_as, people, make_incident
):
    incident = make_incident()
    client = client_as(people["koordinator"])
    assert assess(client, incident, adjustment="1", dpc_reason="x").status_code == 400
    assert assess(client, incident, data_type="2", adjustment="0.5").status_code == 400
    assert assess(client, incident, ei="0.3").status_code == 400
    assert not Assessment.objects.exists()


def test_it_records_a_decision_not_to_notify_and_stops_the_clock(client_as, people, make_incident):
    incident = make_incident()
    response = client_as(people["koordinator"]).post(
        reverse("incidents:decide", args=[incident.pk]),
        {
            "decision": "not_notify",
            "rationale": "Ikke anmeldt, fordi mailen blev slettet ulæst af modtageren",
            "inform_subjects": "no",
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.decision == Decision.NOT_NOTIFY
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
