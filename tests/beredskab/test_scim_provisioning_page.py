"""Issue 22: the provisioning page lists for the systemkoordinator what SCIM could not
decide alone, and mapping a department value places the people who came with it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from beredskab.models import Department, DepartmentMapping, GroupRoleMapping, Person
from beredskab.roles import Role
from beredskab.timeline import events_for
from tests.beredskab.scim_support import Scim, make_token
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_it_lists_unmapped_values_flagged_mobiles_and_matches(db, systemkoordinator, client_as):
    scim = Scim(Client(), make_token())
    Person.objects.create(name="Hand Made", employee_number="E1")
    scim.create_user("a@kommune.dk", name="Anna", mobile="999", department="Ukendt", number="E1")
    html = client_as(systemkoordinator).get(reverse("provisioning")).content.decode()
    assert "Ukendt" in html and "999" in html
    assert "Anna" in html and "employee number" in html  # the match, by what


def test_mapping_a_value_places_its_people_on_their_timeline(db, systemkoordinator, client_as):
    scim = Scim(Client(), make_token())
    person = Person.objects.get(pk=scim.create_user("a@kommune.dk", department="JC")["id"])
    unit = Department.objects.create(name="Jobcenter Nord")
    row = DepartmentMapping.objects.get(value="JC")
    response = client_as(systemkoordinator).post(
        reverse("provisioning_department", args=[row.pk]), {"department": unit.pk}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.department == unit
    assert events_for(person).last().actor_id == systemkoordinator.pk


def test_a_mapping_form_without_a_role_is_refused_at_the_field(db, systemkoordinator, client_as):
    response = client_as(systemkoordinator).post(
        reverse("provisioning_mapping_add"), {"group_name": "SG", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert not GroupRoleMapping.objects.exists()


def test_an_ordinary_role_mapping_by_the_systemkoordinator_takes_effect_at_once(
    db, systemkoordinator, client_as
):
    client = client_as(systemkoordinator)
    client.post(
        reverse("provisioning_mapping_add"),
        {"group_name": "SG-Beredskab", "role": Role.BEREDSKABSGRUPPE, "password": PASSWORD},
    )
    row = GroupRoleMapping.objects.get()
    assert row.approved_by is None and row.created_by == systemkoordinator
