"""Compliance per department and per course, scoped to the leader's department tree."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.urls import reverse

from beredskab.models import Department, Person
from training.models import Assignment
from training.services.assignments import sync_assignments


def other_unit_person(name="Anden Person", department_name="Ydelse") -> Person:
    unit = Department.objects.create(name=department_name)
    return Person.objects.create(name=name, department=unit, email="anden@example.invalid")


def test_it_shows_a_leader_their_department_and_not_others(staff, client_as, department):
    other_unit_person()
    sync_assignments()
    response = client_as(staff["boss"]).get(reverse("training:compliance"))
    assert response.status_code == 200
    body = response.content.decode()
    assert department.name in body
    assert "Ydelse" not in body
    assert "Anden Person" not in body


def test_it_includes_the_units_under_a_led_department(staff, make_user, client_as, department):
    top = make_user("medarbejder", "leder", username="topboss", department=department.parent)
    department.parent.leaders.add(top.person)
    sync_assignments()
    body = client_as(top).get(reverse("training:compliance")).content.decode()
    assert "Worker" in body and department.name in body


def test_it_shows_the_systemkoordinator_every_department(staff, systemkoordinator, client_as):
    other_unit_person()
    sync_assignments()
    body = client_as(systemkoordinator).get(reverse("training:compliance")).content.decode()
    assert "Ydelse" in body and "Anden Person" in body


def test_it_counts_percent_per_department_and_course(staff, client_as):
    sync_assignments()
    Assignment.objects.filter(course__key="phishing").update(completed_on=date(2026, 1, 1))
    body = client_as(staff["boss"]).get(reverse("training:compliance")).content.decode()
    # Phishing: done by all three; the department: 3 of 7+7+2+7+2 = 25 courses.
    assert "100%" in body
    assert "3 / 25" in body


def test_it_denies_an_employee(staff, client_as):
    assert client_as(staff["worker"]).get(reverse("training:compliance")).status_code == 403
    assert client_as(staff["worker"]).get(reverse("training:compliance_csv")).status_code == 403


def test_it_exports_csv_with_formula_cells_neutralised(staff, systemkoordinator, client_as):
    other_unit_person(name="=HYPERLINK(1)", department_name="+Evil unit")
    sync_assignments()
    Assignment.objects.update(due_on=date(2020, 1, 1))
    response = client_as(systemkoordinator).get(reverse("training:compliance_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["Kind", "Name"]
    evil = next(r for r in rows if "Evil unit" in r[1])
    assert evil[1] == "'+Evil unit"
    assert evil[5] == "'=HYPERLINK(1)"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
