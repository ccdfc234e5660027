"""Awareness: the 72-hour clock starts at the reporter's discovery time, else the report
time; the systemkoordinator moves it with a reason, never past the report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beredskab import timeline
from incidents.services import IncidentError
from incidents.services.triage import set_awareness


def test_the_clock_starts_at_the_discovery_time_the_reporter_gave(make_incident):
    discovered = timezone.now() - timedelta(hours=30)
    incident = make_incident(discovered_at=discovered)
    assert incident.aware_at == discovered
    assert incident.reported_at > discovered
    assert incident.elapsed() >= timedelta(hours=30)


def test_without_a_discovery_time_the_clock_starts_at_the_report(make_incident):
    incident = make_incident()
    assert incident.aware_at == incident.reported_at


def test_a_discovery_time_a_little_in_the_future_starts_at_the_report(make_incident):
    incident = make_incident(discovered_at=timezone.now() + timedelta(minutes=3))
    assert incident.aware_at == incident.reported_at


def test_the_page_shows_both_times_and_where_the_clock_starts(client_as, people, make_incident):
    discovered = timezone.now() - timedelta(hours=5)
    incident = make_incident(discovered_at=discovered)
    client = client_as(people["koordinator"])
    client.cookies["django_language"] = "da"
    page = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    local = timezone.localtime(discovered)
    assert page.count(f"{local.hour:02d}:{local.minute:02d}") >= 2
    assert "Tidspunktet, hvor anmelderen opdagede det" in page
    assert "Opdaget, som anmelderen angav det" in page


def test_the_koordinator_moves_it_with_a_reason_on_the_timeline(client_as, people, make_incident):
    incident = make_incident()
    earlier = timezone.localtime() - timedelta(days=1)
    client = client_as(people["koordinator"])
    response = client.post(
        reverse("incidents:awareness", args=[incident.pk]),
        {"aware_at": earlier.strftime("%Y-%m-%dT%H:%M"), "reason": "IT vidste det i går"},
    )
    assert response.status_code == 302
    event = [e for e in timeline.events_for(incident) if e.kind == "incident.awareness_changed"]
    assert event[-1].data["reason"] == "IT vidste det i går"
    page = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "IT vidste det i går" in page


def test_it_refuses_an_awareness_time_after_the_report_in_danish(client_as, people, make_incident):
    incident = make_incident()
    reported = incident.reported_at
    client = client_as(people["koordinator"])
    client.cookies["django_language"] = "da"
    later = timezone.localtime(reported) + timedelta(minutes=2)
    response = client.post(
        reverse("incidents:awareness", args=[incident.pk]),
        {"aware_at": later.strftime("%Y-%m-%dT%H:%M"), "reason": "Forkert"},
    )
    assert response.status_code == 400
    assert "kan ikke ligge efter anmeldelsen" in response.content.decode()
    incident.refresh_from_db()
    assert incident.aware_at == reported
    assert not [e for e in timeline.events_for(incident) if e.kind == "incident.awareness_changed"]


def test_the_service_refuses_it_too(people, make_incident):
    incident = make_incident()
    with pytest.raises(IncidentError):
        set_awareness(
            incident,
            incident.reported_at + timedelta(seconds=1),
            actor=people["koordinator"],
            reason="x",
            now=incident.reported_at + timedelta(minutes=1),
        )
