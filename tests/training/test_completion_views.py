"""The import page and a leader's completion with a note."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beredskab.models import Department, Person
from beredskab.timeline import events_for
from training.models import Assignment, CompletionSource
from training.services.assignments import sync_assignments

GOOD = b"E-mail;Kursus;Gennemf\xc3\xb8rt\nworker@example.invalid;phishing;2026-02-03\n"


def upload(client, data: bytes):
    return client.post(reverse("training:import"), {"file": SimpleUploadedFile("export.csv", data)})


def test_it_imports_a_good_file_and_shows_compliance_rise(staff, systemkoordinator, client_as):
    sync_assignments()
    client = client_as(systemkoordinator)
    response = upload(client, GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("training:compliance")
    assert Assignment.objects.done().count() == 1
    assert "1 completions recorded" in client.get(response["Location"]).content.decode()


def test_it_lists_bad_rows_with_their_numbers_and_stores_nothing(
    staff, systemkoordinator, client_as
):
    sync_assignments()
    data = GOOD + b"ghost@example.invalid;phishing;2026-02-03\n"
    response = upload(client_as(systemkoordinator), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Row 3: unknown person ghost@example.invalid" in body
    assert "nothing was imported" in body
    assert Assignment.objects.done().count() == 0


def test_it_answers_a_file_that_is_not_a_table_with_400(staff, systemkoordinator, client_as):
    response = upload(client_as(systemkoordinator), b"")
    assert response.status_code == 400


def test_it_denies_the_import_to_a_leader(staff, client_as):
    assert client_as(staff["boss"]).get(reverse("training:import")).status_code == 403


def record_url(assignment) -> str:
    return reverse("training:record", args=[assignment.pk])


def test_it_lets_a_leader_record_a_completion_with_a_note(staff, client_as):
    sync_assignments()
    assignment = Assignment.objects.get(person=staff["worker"].person, course__key="phishing")
    client = client_as(staff["boss"])
    assert client.get(record_url(assignment)).status_code == 200
    response = client.post(
        record_url(assignment), {"completed_on": "2026-02-01", "note": "Certifikat vist"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.completed_on == date(2026, 2, 1)
    assert assignment.completion_source == CompletionSource.LEADER
    assert assignment.completion_note == "Certifikat vist"
    assert events_for(staff["worker"].person).last().kind == "training.completed"


def test_it_refuses_a_completion_without_a_note_or_in_the_future(staff, client_as):
    sync_assignments()
    assignment = Assignment.objects.get(person=staff["worker"].person, course__key="phishing")
    future = (date.today() + timedelta(days=3)).isoformat()
    response = client_as(staff["boss"]).post(
        record_url(assignment), {"completed_on": future, "note": ""}
    )
    assert response.status_code == 400
    assert "future" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.completed_on is None


def test_it_hides_a_person_outside_the_leader_s_departments(staff, client_as):
    stranger = Person.objects.create(
        name="Fremmed", department=Department.objects.create(name="Andet sted")
    )
    sync_assignments()
    assignment = Assignment.objects.filter(person=stranger).first()
    assert client_as(staff["boss"]).get(record_url(assignment)).status_code == 404


def test_it_denies_an_employee(staff, client_as):
    sync_assignments()
    assignment = Assignment.objects.filter(person=staff["clerk"].person).first()
    assert client_as(staff["worker"]).get(record_url(assignment)).status_code == 403


def test_it_answers_an_empty_post_with_400_not_the_blank_form(staff, client_as):
    sync_assignments()
    assignment = Assignment.objects.get(person=staff["worker"].person, course__key="phishing")
    assert client_as(staff["boss"]).post(record_url(assignment), {}).status_code == 400
    assignment.refresh_from_db()
    assert assignment.completed_on is None
