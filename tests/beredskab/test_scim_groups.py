"""Issue 22: SCIM Groups give roles only through the group → role table, through
beredskab.grants, recorded as the provisioning client's grants; a privileged role
(admin included) only when an admin approved the mapping row."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from beredskab.models import GroupRoleMapping, Person, RoleGrant, ScimGroup
from beredskab.pending import pending_for
from beredskab.roles import Role
from beredskab.scim.schemas import GROUP_URN
from beredskab.timeline import events_for
from tests.beredskab.scim_support import Scim, make_token
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def scim(db, make_user):
    make_user(username="roles-exist")  # the roles (Django groups) are made here
    return Scim(Client(), make_token("entra-id"))


def _group(scim, name: str, *members) -> dict:
    body = {
        "schemas": [GROUP_URN],
        "displayName": name,
        "members": [{"value": str(p.pk)} for p in members],
    }
    response = scim.post("/Groups", body)
    assert response.status_code == 201, response.content
    return response.json()


def _person(scim, name: str) -> Person:
    return Person.objects.get(pk=scim.create_user(f"{name}@kommune.dk")["id"])


def _roles(person) -> set[str]:
    return set(person.roles.values_list("name", flat=True))


def test_a_mapped_group_gives_its_role_recorded_as_the_client(scim):
    GroupRoleMapping.objects.create(group_name="SG-Beredskab", role=Role.BEREDSKABSGRUPPE)
    anna = _person(scim, "anna")
    _group(scim, "SG-Beredskab", anna)
    assert _roles(anna) == {Role.BEREDSKABSGRUPPE}
    grant = RoleGrant.objects.get(person=anna)
    assert grant.provisioned_by == "SCIM: entra-id" and grant.granted_by is None
    event = events_for(anna).filter(kind="person.role_granted").get()
    assert event.actor_text == "SCIM: entra-id"


def test_an_unmapped_group_gives_nothing_and_writes_no_django_group(scim):
    anna = _person(scim, "anna")
    groups_before = Group.objects.count()
    _group(scim, "admin", anna)  # even a group named like a role
    assert _roles(anna) == set() and Group.objects.count() == groups_before
    assert ScimGroup.objects.get().display_name == "admin"


def test_leaving_the_group_removes_only_the_role_provisioning_gave(scim):
    GroupRoleMapping.objects.create(group_name="SG-Beredskab", role=Role.BEREDSKABSGRUPPE)
    anna = _person(scim, "anna")
    group = _group(scim, "SG-Beredskab", anna)
    response = scim.patch(
        f"/Groups/{group['id']}", {"op": "remove", "path": f'members[value eq "{anna.pk}"]'}
    )
    assert response.status_code == 200
    assert _roles(anna) == set()
    assert RoleGrant.objects.get(person=anna).status == "removed"


def test_a_privileged_mapping_waits_for_an_admin(scim, make_user, client_as, systemkoordinator):
    anna = _person(scim, "anna")
    _group(scim, "SG-Admins", anna)
    client = client_as(systemkoordinator)
    response = client.post(
        reverse("provisioning_mapping_add"),
        {"group_name": "SG-Admins", "role": Role.ADMIN, "password": PASSWORD},
    )
    assert response.status_code == 302
    row = GroupRoleMapping.objects.get()
    assert row.approved_by is None and _roles(anna) == set()

    admin = make_user(Role.ADMIN, username="admin")
    assert [i.url for i in pending_for(admin)] == [reverse("provisioning")]
    response = client_as(admin).post(
        reverse("provisioning_mapping_approve", args=[row.pk]), {"password": PASSWORD}
    )
    assert response.status_code == 302
    assert _roles(anna) == {Role.ADMIN}


def test_a_mapping_approved_by_a_non_admin_gives_no_privileged_role(scim, systemkoordinator):
    GroupRoleMapping.objects.create(group_name="SG-IT", role=Role.IT, approved_by=systemkoordinator)
    anna = _person(scim, "anna")
    _group(scim, "SG-IT", anna)
    assert _roles(anna) == set()


def test_a_group_member_that_is_not_a_user_is_refused_and_nothing_saved(scim):
    response = scim.post(
        "/Groups", {"schemas": [GROUP_URN], "displayName": "X", "members": [{"value": "999"}]}
    )
    assert response.status_code == 400 and response.json()["scimType"] == "invalidValue"
    assert not ScimGroup.objects.exists()


def test_a_group_cannot_reach_a_person_that_was_never_provisioned(scim):
    hand_made = Person.objects.create(name="Hand Made")
    response = scim.post(
        "/Groups",
        {"schemas": [GROUP_URN], "displayName": "X", "members": [{"value": str(hand_made.pk)}]},
    )
    assert response.status_code == 400
