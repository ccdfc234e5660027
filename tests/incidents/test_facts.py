"""The facts the notification asks for: saved with CPR masking, on the timeline."""

from __future__ import annotations

from django.urls import reverse

from beredskab import timeline


def test_it_saves_the_facts_and_masks_cpr_numbers(client_as, people, make_incident):
    incident = make_incident()
    response = client_as(people["koordinator"]).post(
        reverse("incidents:facts", args=[incident.pk]),
        {
            "personal_data": "yes",
            "people_affected": "2-10",
            "data_categories": "Helbred, CPR 010203-1234",
            "subject_categories": "Borgere",
            "records_affected": "7",
            "consequences": "Krænkelse af privatlivet",
            "measures": "Mail tilbagekaldt",
            "delay_reason": "",
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.people_affected == "2-10"
    assert "010203-1234" not in incident.data_categories
    event = list(timeline.events_for(incident))[-1]
    assert event.kind == "incident.facts_updated"


def test_it_ends_the_deadline_when_no_personal_data_is_involved(client_as, people, make_incident):
    incident = make_incident(personal_data="unknown")
    assert incident.clock_state() == "running"
    client_as(people["koordinator"]).post(
        reverse("incidents:facts", args=[incident.pk]),
        {"personal_data": "no", "people_affected": "unknown"},
    )
    incident.refresh_from_db()
    assert incident.clock_state() == "n/a"


def test_it_refuses_an_unknown_answer(client_as, people, make_incident):
    incident = make_incident()
    response = client_as(people["koordinator"]).post(
        reverse("incidents:facts", args=[incident.pk]),
        {"personal_data": "perhaps", "people_affected": "unknown"},
    )
    assert response.status_code == 400
    incident.refresh_from_db()
    assert incident.personal_data == "yes"
