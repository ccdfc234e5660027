"""Reporting, declaring, dismissing and closing through the pages; bad input saves nothing."""

from __future__ import annotations

from django.urls import reverse

from beredskab import timeline
from outages.models import AffectedSystem, OutageStatus, SystemOutage


def test_it_lets_an_employee_report_and_see_the_receipt(employee, sbsys, client_as):
    client = client_as(employee)
    data = {"system": sbsys.pk, "description": "Kan ikke logge ind", "nonce": "abc"}
    response = client.post(reverse("outages:report"), data)
    outage = SystemOutage.objects.get()
    assert response.status_code == 302 and response["Location"] == outage.get_absolute_url()
    assert outage.status == OutageStatus.REPORTED and outage.reporter == employee.person
    client.post(reverse("outages:report"), data)  # a double submit
    assert SystemOutage.objects.count() == 1
    assert client.get(outage.get_absolute_url()).status_code == 200


def test_it_refuses_an_empty_report(employee, client_as):
    response = client_as(employee).post(reverse("outages:report"), {"description": " "})
    assert response.status_code == 400
    assert not SystemOutage.objects.exists()


def test_it_hides_someone_elses_unconfirmed_report(reported, make_user, client_as):
    other = make_user("medarbejder", username="colleague")
    assert client_as(other).get(reported.get_absolute_url()).status_code == 404


def test_it_declares_with_down_and_degraded_systems(reported, it_user, sbsys, kmd, client_as, plan):
    response = client_as(it_user).post(
        reverse("outages:declare", args=[reported.pk]), {"down": [sbsys.pk], "degraded": [kmd.pk]}
    )
    assert response.status_code == 302
    reported.refresh_from_db()
    assert reported.status == OutageStatus.DECLARED and reported.run_id
    assert dict(reported.affected.values_list("system__name", "impact")) == {
        "SBSYS": "down",
        "KMD Nexus": "degraded",
    }


def test_it_refuses_a_declaration_without_systems_or_with_both(reported, it_user, sbsys, client_as):
    client = client_as(it_user)
    url = reverse("outages:declare", args=[reported.pk])
    empty = client.post(url, {})
    both = client.post(url, {"down": [sbsys.pk], "degraded": [sbsys.pk]})
    future = client.post(url, {"down": [sbsys.pk], "began_at": "2999-01-01T10:00"})
    assert [empty.status_code, both.status_code, future.status_code] == [400, 400, 400]
    assert "Choose at least one system" in empty.content.decode()
    assert "either down or degraded" in both.content.decode()
    assert "cannot begin in the future" in future.content.decode()
    reported.refresh_from_db()
    assert reported.status == OutageStatus.REPORTED
    assert not AffectedSystem.objects.exists()


def test_it_dismisses_with_a_reason_only(reported, it_user, client_as):
    client = client_as(it_user)
    url = reverse("outages:dismiss", args=[reported.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    reported.refresh_from_db()
    assert reported.status == OutageStatus.REPORTED
    assert client.post(url, {"reason": "Netværket på én pc"}).status_code == 302
    reported.refresh_from_db()
    assert reported.status == OutageStatus.DISMISSED


def test_it_asks_for_the_after_action_note_when_closing(declared, it_user, client_as):
    client = client_as(it_user)
    client.post(reverse("outages:restored", args=[declared.pk]), {"restored-note": "OK"})
    url = reverse("outages:close", args=[declared.pk])
    refused = client.post(url, {"what_happened": ""})
    assert refused.status_code == 400
    declared.refresh_from_db()
    assert declared.status == OutageStatus.RESTORED
    response = client.post(
        url,
        {"what_happened": "Disk fuld", "what_worked": "Telefonlisten", "plan_changes": "Overvåg"},
    )
    assert response.status_code == 302
    declared.refresh_from_db()
    assert declared.status == OutageStatus.CLOSED
    assert declared.plan_changes == "Overvåg"
    assert timeline.events_for(declared).last().kind == "outage.closed"


def test_it_answers_409_for_a_step_the_outage_has_passed(declared, it_user, client_as):
    response = client_as(it_user).post(
        reverse("outages:dismiss", args=[declared.pk]), {"reason": "x"}
    )
    assert response.status_code == 409
    declared.refresh_from_db()
    assert declared.status == OutageStatus.DECLARED


def test_it_forbids_steps_to_an_employee(declared, employee, client_as):
    response = client_as(employee).post(
        reverse("outages:restoring", args=[declared.pk]), {"restoring-note": "x"}
    )
    assert response.status_code == 403
    declared.refresh_from_db()
    assert declared.status == OutageStatus.DECLARED


def test_it_shows_the_supplier_one_tap_away(declared, employee, client_as):
    page = client_as(employee).get(declared.get_absolute_url()).content.decode()
    assert 'href="tel:+4570131000"' in page
    assert 'href="mailto:support@example.invalid"' in page
    assert "Ingen kontaktoplysninger" in page
    assert "Next steps" not in page  # an employee reads, IT acts
