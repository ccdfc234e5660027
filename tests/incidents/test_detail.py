"""The incident page, the state machine and the taskforce decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beredskab import timeline
from incidents.models import Incident, IncidentStatus
from incidents.services import IncidentError
from incidents.services.triage import transition


def kinds(incident):
    return [e.kind for e in timeline.events_for(incident)]


def test_it_shows_the_incident_with_clock_escalation_and_timeline(client_as, people, make_incident):
    incident = make_incident(description="Mail til forkert modtager")
    response = client_as(people["koordinator"]).get(incident.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert incident.reference in html
    assert "Mail til forkert modtager" in html
    assert reverse("escalation:run", args=[incident.run_id]) in html
    assert 'id="incident-timeline"' in html
    assert response.context["clock"]["state"] == "running"


def test_it_moves_along_the_state_machine_with_the_reason_on_the_timeline(
    client_as, people, make_incident
):
    incident = make_incident()
    client = client_as(people["koordinator"])
    url = reverse("incidents:transition", args=[incident.pk])
    for to in ("assessing", "contained", "closed", "reopened", "closed"):
        response = client.post(url, {"to": to, "reason": f"Fordi {to}"})
        assert response.status_code == 302, to
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    changes = [e for e in timeline.events_for(incident) if e.kind == "incident.status_changed"]
    assert [e.data["to_status"] for e in changes] == [
        "assessing",
        "contained",
        "closed",
        "reopened",
        "closed",
    ]
    assert changes[0].actor_id == people["koordinator"].pk
    assert changes[0].data["reason"] == "Fordi assessing"


def test_it_refuses_a_transition_that_is_not_allowed(client_as, people, make_incident):
    incident = make_incident()
    client = client_as(people["koordinator"])
    url = reverse("incidents:transition", args=[incident.pk])
    response = client.post(url, {"to": "reopened", "reason": "x"})
    assert response.status_code == 400
    assert response.context["transition_form"].errors["to"]
    assert client.post(url, {"to": "assessing", "reason": ""}).status_code == 400
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.REPORTED
    assert "incident.status_changed" not in kinds(incident)


def test_it_refuses_the_service_a_transition_off_the_map(people, make_incident):
    incident = make_incident()
    with pytest.raises(IncidentError):
        transition(incident, "closed", actor=people["koordinator"], reason="")
    with pytest.raises(IncidentError):
        transition(incident, "reopened", actor=people["koordinator"], reason="x")


def test_it_lets_only_managers_change_the_status(client_as, people, make_incident):
    incident = make_incident()
    url = reverse("incidents:transition", args=[incident.pk])
    for who in ("dpo", "it", "boss", "reporter"):
        response = client_as(people[who]).post(url, {"to": "assessing", "reason": "x"})
        assert response.status_code == 403, who


def test_it_moves_the_moment_of_awareness_on_the_timeline(client_as, people, make_incident):
    incident = make_incident()
    earlier = timezone.localtime() - timedelta(hours=30)
    response = client_as(people["koordinator"]).post(
        reverse("incidents:awareness", args=[incident.pk]),
        {"aware_at": earlier.strftime("%Y-%m-%dT%H:%M"), "reason": "Lederen vidste det i går"},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert abs(incident.aware_at - earlier) < timedelta(minutes=1)
    assert "incident.awareness_changed" in kinds(incident)
    future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_as(people["koordinator"]).post(
        reverse("incidents:awareness", args=[incident.pk]), {"aware_at": future, "reason": "x"}
    )
    assert response.status_code == 400


def test_it_lets_the_leader_record_the_taskforce_decision(client_as, people, make_incident):
    incident = make_incident()
    url = reverse("incidents:taskforce", args=[incident.pk])
    client = client_as(people["boss"])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"taskforce": "yes", "members": "", "reason": "Stort brud"})
    assert bad.status_code == 400
    response = client.post(
        url, {"taskforce": "yes", "members": "IT, DPO, leder", "reason": "Stort brud"}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.taskforce == "yes"
    assert incident.taskforce_members == "IT, DPO, leder"
    assert "incident.taskforce" in kinds(incident)


def test_it_refuses_the_taskforce_to_a_leader_of_another_department(
    client_as, people, make_incident, make_user
):
    from beredskab.models import Department

    incident = make_incident()
    elsewhere = Department.objects.create(name="Et andet sted")
    other_leader = make_user("leder", username="otherboss", department=elsewhere)
    elsewhere.leaders.add(other_leader.person)
    url = reverse("incidents:taskforce", args=[incident.pk])
    assert client_as(other_leader).get(url).status_code == 404
    assert client_as(people["reporter"]).get(url).status_code == 403


def test_it_never_lets_anyone_edit_the_timeline(client_as, people, make_incident):
    incident = make_incident()
    assert Incident.objects.filter(pk=incident.pk).exists()
    # No URL of the app changes or deletes timeline events: only services append.
    from incidents.urls import urlpatterns

    names = {p.name for p in urlpatterns}
    assert not {n for n in names if "timeline" in n or "delete" in n}
