"""Issue 22: SCIM Users fill the directory person; what the portal owns stays."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from beredskab.models import (
    Absence,
    Department,
    DepartmentMapping,
    EscalationChain,
    EscalationStep,
    EventKind,
    Person,
    ScimMatch,
    ScimToken,
)
from beredskab.scim.people import flagged_people, person_for_external_id
from beredskab.scim.schemas import ENTERPRISE_URN
from beredskab.timeline import events_for
from tests.beredskab.scim_support import Scim, make_token, user_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def scim(client):
    return Scim(client, make_token("entra-id"))


def test_it_fills_the_directory_person_from_the_user(scim):
    user = scim.create_user(
        "anna@kommune.dk",
        name="Anna Berg",
        email="Anna@Kommune.dk",
        mobile="21 98 00 01",
        number="E100",
        oid="oid-anna",
    )
    person = Person.objects.get(pk=user["id"])
    assert (person.name, person.email, str(person.mobile)) == (
        "Anna Berg",
        "Anna@Kommune.dk",
        "+4521980001",
    )
    assert (person.employee_number, person.external_id) == ("E100", "oid-anna")
    assert person_for_external_id("oid-anna") == person
    assert person.user is None  # SCIM writes the person only, never a login
    assert user["phoneNumbers"] == [{"value": "21 98 00 01", "type": "mobile"}]
    assert user["meta"]["location"].endswith(f"/scim/v2/Users/{person.pk}")


def test_it_keeps_a_bad_mobile_as_given_flags_it_and_does_not_use_it(scim):
    user = scim.create_user("b@kommune.dk", mobile="12345")
    person = Person.objects.get(pk=user["id"])
    assert person.mobile_as_given == "12345" and not person.mobile
    assert not person.can_be_notified()
    assert list(flagged_people()) == [person]
    assert "person.mobile_flagged" in [e.kind for e in events_for(person)]
    # A fixed number is used and no longer flagged.
    scim.patch(
        f"/Users/{person.pk}",
        {
            "op": "replace",
            "path": 'phoneNumbers[type eq "mobile"].value',
            "value": "+45 21 98 00 02",
        },
    )
    person.refresh_from_db()
    assert str(person.mobile) == "+4521980002" and not list(flagged_people())


def test_it_maps_departments_through_the_table_and_lists_unmapped_values(scim):
    unit = Department.objects.create(name="Jobcenter Syd")
    DepartmentMapping.objects.create(value="JC Syd", department=unit)
    mapped = scim.create_user("m@kommune.dk", department="JC Syd")
    unmapped = scim.create_user("u@kommune.dk", department="Ukendt Afd")
    assert Person.objects.get(pk=mapped["id"]).department == unit
    assert Person.objects.get(pk=unmapped["id"]).department is None
    listed = DepartmentMapping.objects.get(value="Ukendt Afd")
    assert listed.department is None  # listed for the systemkoordinator, not guessed


def test_it_matches_a_hand_made_person_by_employee_number_and_lists_the_match(scim):
    made = Person.objects.create(name="Hand Made", employee_number="E7", email="x@y.dk")
    user = scim.create_user("hm@kommune.dk", number="e7")
    assert int(user["id"]) == made.pk and Person.objects.count() == 1
    match = ScimMatch.objects.get()
    assert (match.person, match.matched_by, match.client) == (made, "employee_number", "entra-id")


def test_it_matches_a_hand_made_person_by_e_mail_case_insensitively(scim):
    made = Person.objects.create(name="Hand Made", email="Hand@Kommune.dk")
    user = scim.create_user("hm@kommune.dk", email="hand@kommune.DK")
    assert int(user["id"]) == made.pk
    assert ScimMatch.objects.get().matched_by == "email"


def test_it_never_changes_what_the_portal_owns(scim, make_user):
    user = scim.create_user("o@kommune.dk", mobile="21980003")
    person = Person.objects.get(pk=user["id"])
    deputy = Person.objects.create(name="Deputy")
    person.deputy = deputy
    person.save()
    now = timezone.now()
    Absence.objects.create(person=person, starts_at=now, ends_at=now + timedelta(days=2))
    chain = EscalationChain.objects.create(name="Brud", event_kind=EventKind.BREACH)
    step = EscalationStep.objects.create(chain=chain, position=1, name="Første")
    step.notify_people.add(person)
    body = user_body("o@kommune.dk", name="New Name", mobile="21980004")
    assert scim.put(f"/Users/{person.pk}", body).status_code == 200
    person.refresh_from_db()
    assert person.name == "New Name"
    assert person.deputy == deputy and person.absences.count() == 1
    assert list(step.notify_people.all()) == [person]


def test_it_records_every_change_as_made_by_the_provisioning_client(scim):
    user = scim.create_user("t@kommune.dk")
    scim.patch(f"/Users/{user['id']}", {"op": "replace", "path": "displayName", "value": "T"})
    events = list(events_for(Person.objects.get(pk=user["id"])))
    assert [e.kind for e in events] == ["person.provisioned", "person.provisioned"]
    assert {e.actor_text for e in events} == {"SCIM: entra-id"}
    assert events[1].data["changed"] == ["name"]


def test_it_handles_entra_style_patches(scim):
    user = scim.create_user("e@kommune.dk")
    response = scim.patch(
        f"/Users/{user['id']}",
        {"op": "Replace", "path": f"{ENTERPRISE_URN}:department", "value": "IT"},
        {"op": "Add", "value": {"displayName": "Eva", f"{ENTERPRISE_URN}:employeeNumber": "9"}},
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "eva@kommune.dk"},
        {"op": "Add", "path": f"{ENTERPRISE_URN}:manager", "value": "123"},
    )
    assert response.status_code == 200, response.content
    person = Person.objects.get(pk=user["id"])
    assert (person.scim_department, person.name, person.employee_number, person.email) == (
        "IT",
        "Eva",
        "9",
        "eva@kommune.dk",
    )
    assert person.manager_ref == "123"


def test_it_filters_users_as_entra_asks(scim):
    scim.create_user("f@kommune.dk", oid="oid-f")
    scim.create_user("g@kommune.dk")
    found = scim.get('/Users?filter=userName eq "F@kommune.dk"').json()
    assert found["totalResults"] == 1 and found["Resources"][0]["userName"] == "f@kommune.dk"
    by_oid = scim.get('/Users?filter=externalId eq "oid-f"').json()
    assert by_oid["totalResults"] == 1


def test_it_publishes_relative_endpoints_and_only_stored_attributes(scim):
    types = scim.get("/ResourceTypes").json()["Resources"]
    assert {t["endpoint"] for t in types} == {"/Users", "/Groups"}
    user_schema = scim.get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User").json()
    names = {a["name"] for a in user_schema["attributes"]}
    assert names == {"userName", "displayName", "title", "active", "emails", "phoneNumbers"}


def test_scim_token_command_prints_once_stores_a_hash_and_rotates(client):
    out = StringIO()
    call_command("scim_token", "create", "entra-id", stdout=out, stderr=StringIO())
    token = out.getvalue().strip()
    row = ScimToken.objects.get()
    assert token not in row.token_hash and len(row.token_hash) == 64
    assert Scim(client, token).get("/Users").status_code == 200
    out = StringIO()
    call_command("scim_token", "rotate", "entra-id", stdout=out, stderr=StringIO())
    new = out.getvalue().strip()
    assert Scim(client, token).get("/Users").status_code == 401
    assert Scim(client, new).get("/Users").status_code == 200


def test_a_mobile_fixed_by_hand_survives_a_later_patch_of_something_else(scim):
    user = scim.create_user("h@kommune.dk", mobile="12345")
    Person.objects.filter(pk=user["id"]).update(mobile="+4521980009")
    scim.patch(f"/Users/{user['id']}", {"op": "replace", "path": "displayName", "value": "H"})
    person = Person.objects.get(pk=user["id"])
    assert str(person.mobile) == "+4521980009" and not list(flagged_people())
