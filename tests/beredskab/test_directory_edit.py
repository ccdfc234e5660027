"""Creating and editing the directory: saved, synced, and written to the timeline."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from beredskab.models import Absence, Department, Person, Supplier, System, TimelineEvent
from beredskab.roles import Role
from beredskab.timeline import events_for, verify_chain


@pytest.fixture(autouse=True)
def _english(settings):
    # The assertions read the English source strings; Danish is the translators' part.
    settings.LANGUAGE_CODE = "en"


CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def koordinator_client(client_as, systemkoordinator):
    return client_as(systemkoordinator)


def _with_valid_mobile(person: Person) -> Person:
    # conftest's make_user numbers (+452000nnnn) lie outside the Danish numbering plan,
    # so the form would (rightly) refuse them; give the person a real-looking one.
    Person.objects.filter(pk=person.pk).update(mobile="+4521990077")
    person.refresh_from_db()
    return person


def _person_post(person: Person, **changes) -> dict:
    data = {
        "name": person.name,
        "title": person.title,
        "department": person.department_id or "",
        "mobile": str(person.mobile or ""),
        "email": person.email,
        "employee_number": person.employee_number,
        "external_organisation": person.external_organisation,
        "roles": [str(pk) for pk in person.roles.values_list("pk", flat=True)],
        "deputy": person.deputy_id or "",
        "alternative_mobile": str(person.alternative_mobile or ""),
    }
    for flag in ("has_it_access", "reachable_during_outage", "is_active"):
        if getattr(person, flag):
            data[flag] = "on"
    data.update(changes)
    return data


def test_it_creates_a_department_and_records_it(koordinator_client, systemkoordinator, department):
    response = koordinator_client.post(
        reverse("directory:department_create"),
        {"name": "KIS", "kind": "unit", "parent": department.pk},
    )
    kis = Department.objects.get(name="KIS")
    assert response.status_code == 302
    assert response["Location"] == kis.get_absolute_url()
    assert kis.parent == department
    event = events_for(kis).get()
    assert event.kind == "department.created"
    assert event.actor_id == systemkoordinator.pk


def test_it_records_which_system_fields_changed(koordinator_client, systemkoordinator):
    system = System.objects.create(name="Fasit", availability=2)
    response = koordinator_client.post(
        reverse("directory:system_edit", args=[system.pk]),
        {
            "name": "Fasit",
            "hosting": system.hosting,
            "confidentiality": "2",
            "availability": "4",
            "integrity": "2",
            "needs_vpn": "on",
        },
    )
    assert response.status_code == 302
    system.refresh_from_db()
    assert system.availability == 4 and system.needs_vpn
    event = events_for(system).get()
    assert event.kind == "system.updated"
    assert event.data == {"changed": ["availability", "needs_vpn"]}
    assert event.actor_text == systemkoordinator.person.name


def test_it_records_nothing_when_nothing_changed(koordinator_client):
    system = System.objects.create(name="Fasit")
    data = {"name": "Fasit", "hosting": system.hosting}
    data.update({"confidentiality": "2", "availability": "2", "integrity": "2"})
    response = koordinator_client.post(reverse("directory:system_edit", args=[system.pk]), data)
    assert response.status_code == 302
    assert not events_for(system).exists()


def test_it_keeps_phone_numbers_and_emails_out_of_the_timeline(koordinator_client, employee):
    person = employee.person
    response = koordinator_client.post(
        reverse("directory:person_edit", args=[person.pk]),
        _person_post(person, mobile="30 11 22 33", email="ny@example.invalid"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert str(person.mobile) == "+4530112233"
    event = events_for(person).get()
    assert event.data == {"changed": ["email", "mobile"]}
    stored = json.dumps(event.data) + event.subject_text + event.actor_text
    assert "30112233" not in stored and "ny@example" not in stored


def test_it_ignores_roles_posted_to_the_directory_form(koordinator_client, employee):
    # Roles are granted on the person's page (tests/beredskab/test_grants.py), never
    # through the directory form: a posted "roles" field changes nothing.
    person = _with_valid_mobile(employee.person)
    it = Group.objects.get(name=Role.IT)
    response = koordinator_client.post(
        reverse("directory:person_edit", args=[person.pk]),
        _person_post(person, roles=[str(it.pk)]),
    )
    assert response.status_code == 302
    assert list(employee.groups.values_list("name", flat=True)) == [Role.MEDARBEJDER]
    assert list(person.roles.values_list("name", flat=True)) == [Role.MEDARBEJDER]
    assert not events_for(person).exists()


def test_it_creates_a_person_without_a_login(koordinator_client):
    response = koordinator_client.post(
        reverse("directory:person_create"),
        {"name": "Ekstern DPO", "external_organisation": "DPO-firmaet", "is_active": "on"},
    )
    person = Person.objects.get(name="Ekstern DPO")
    assert response.status_code == 302
    assert person.user is None and person.is_external
    assert events_for(person).get().kind == "person.created"


def test_the_person_form_does_not_change_the_login(koordinator_client, employee, make_user):
    other_login = make_user(username="someone-else")
    person = _with_valid_mobile(employee.person)
    koordinator_client.post(
        reverse("directory:person_edit", args=[person.pk]),
        _person_post(person, user=str(other_login.pk)),
    )
    person.refresh_from_db()
    assert person.user == employee


def test_it_adds_and_removes_an_absence(koordinator_client, employee):
    person = employee.person
    response = koordinator_client.post(
        reverse("directory:absence_add", args=[person.pk]),
        {"starts_at": "2030-07-01T08:00", "ends_at": "2030-07-21T16:00", "note": "Ferie"},
    )
    assert response.status_code == 302
    absence = Absence.objects.get(person=person)
    assert absence.starts_at == datetime(2030, 7, 1, 8, 0, tzinfo=CPH)
    assert person.is_absent(datetime(2030, 7, 10, tzinfo=CPH))
    response = koordinator_client.post(
        reverse("directory:absence_remove", args=[person.pk, absence.pk])
    )
    assert response.status_code == 302
    assert not Absence.objects.exists()
    kinds = list(events_for(person).values_list("kind", flat=True))
    assert kinds == ["person.absence_added", "person.absence_removed"]
    assert all("Ferie" not in json.dumps(e.data) for e in events_for(person))


def test_the_person_page_shows_a_current_absence(koordinator_client, employee):
    now = timezone.now()
    Absence.objects.create(
        person=employee.person, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(1)
    )
    html = koordinator_client.get(employee.person.get_absolute_url()).content.decode()
    assert "Away now" in html
    assert "employee" in html  # the linked login, read-only


def test_it_normalises_the_suppliers_phone(koordinator_client):
    response = koordinator_client.post(
        reverse("directory:supplier_create"),
        {
            "name": "Netcompany",
            "support_phone": "70 10 20 30",
            "support_email": "s@example.invalid",
        },
    )
    supplier = Supplier.objects.get()
    assert response.status_code == 302
    assert str(supplier.support_phone) == "+4570102030"
    assert events_for(supplier).get().data["changed"] == ["name", "support_email", "support_phone"]


def test_it_masks_a_cpr_number_in_free_text(koordinator_client):
    data = {"name": "Fasit", "hosting": "hosted", "purpose": "Sag for 010190-1234 mv."}
    data.update({"confidentiality": "2", "availability": "2", "integrity": "2"})
    koordinator_client.post(reverse("directory:system_create"), data)
    assert System.objects.get().purpose == "Sag for XXXXXX-XXXX mv."


def test_the_detail_page_shows_the_timeline(koordinator_client):
    system = System.objects.create(name="Fasit")
    data = {"name": "Fasit 2", "hosting": system.hosting}
    data.update({"confidentiality": "2", "availability": "2", "integrity": "3"})
    koordinator_client.post(reverse("directory:system_edit", args=[system.pk]), data)
    html = koordinator_client.get(reverse("directory:system_detail", args=[system.pk])).content
    html = html.decode()
    assert 'id="timeline-heading"' in html
    assert "Changed" in html and "integrity" in html


def test_the_edits_form_one_valid_hash_chain(koordinator_client):
    system = System.objects.create(name="Fasit")
    for n in range(1, 4):
        data = {"name": f"Fasit {n}", "hosting": system.hosting}
        data.update({"confidentiality": "2", "availability": "2", "integrity": "2"})
        koordinator_client.post(reverse("directory:system_edit", args=[system.pk]), data)
    events = list(events_for(system))
    assert [e.seq for e in events] == [1, 2, 3]
    assert verify_chain(events)[0]
    assert TimelineEvent.objects.count() == 3


def test_a_systemkoordinator_cannot_make_themself_an_admin_in_the_directory(
    koordinator_client, systemkoordinator
):
    person = _with_valid_mobile(systemkoordinator.person)
    admin = Group.objects.get(name=Role.ADMIN)
    page = koordinator_client.get(reverse("directory:person_edit", args=[person.pk]))
    assert 'name="roles"' not in page.content.decode()
    response = koordinator_client.post(
        reverse("directory:person_edit", args=[person.pk]),
        _person_post(person, roles=[str(g.pk) for g in person.roles.all()] + [str(admin.pk)]),
    )
    assert response.status_code == 302
    assert not systemkoordinator.groups.filter(name=Role.ADMIN).exists()
    assert not person.roles.filter(name=Role.ADMIN).exists()


def test_an_admin_keeps_the_role_when_a_systemkoordinator_edits_them(koordinator_client, make_user):
    user = make_user(Role.ADMIN, username="the-admin")
    person = _with_valid_mobile(user.person)
    response = koordinator_client.post(
        reverse("directory:person_edit", args=[person.pk]),
        _person_post(person, title="Driftschef", roles=[]),
    )
    assert response.status_code == 302
    assert list(user.groups.values_list("name", flat=True)) == [Role.ADMIN]
    assert events_for(person).get().data == {"changed": ["title"]}
