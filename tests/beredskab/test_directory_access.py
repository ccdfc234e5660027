"""Every directory page: 302 for anonymous, 403 for an employee, 404 for a missing pk,
200 for the systemkoordinator."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from beredskab.models import Absence, EscalationChain, EscalationStep, Supplier, System
from beredskab.roles import Role


@pytest.fixture
def objects(systemkoordinator, department):
    supplier = Supplier.objects.create(name="Netcompany", support_phone="+4570101010")
    system = System.objects.create(
        name="Fasit", supplier=supplier, coordinator=systemkoordinator.person
    )
    chain = EscalationChain.objects.create(name="Databrud", event_kind="breach")
    step = EscalationStep.objects.create(chain=chain, position=1, name="Nærmeste leder")
    step.notify_roles.set(Group.objects.filter(name=Role.LEDER))
    person = systemkoordinator.person
    now = timezone.now()
    absence = Absence.objects.create(
        person=person, starts_at=now, ends_at=now + timezone.timedelta(days=1)
    )
    return {
        "department": department,
        "person": person,
        "supplier": supplier,
        "system": system,
        "chain": chain,
        "absence": absence,
    }


GET_PAGES = [
    ("directory:index", None),
    ("directory:department_list", None),
    ("directory:department_create", None),
    ("directory:department_detail", "department"),
    ("directory:department_edit", "department"),
    ("directory:person_list", None),
    ("directory:person_create", None),
    ("directory:person_detail", "person"),
    ("directory:person_edit", "person"),
    ("directory:supplier_list", None),
    ("directory:supplier_create", None),
    ("directory:supplier_detail", "supplier"),
    ("directory:supplier_edit", "supplier"),
    ("directory:system_list", None),
    ("directory:system_create", None),
    ("directory:system_detail", "system"),
    ("directory:system_edit", "system"),
    ("directory:chain_list", None),
    ("directory:chain_create", None),
    ("directory:chain_detail", "chain"),
    ("directory:chain_edit", "chain"),
]
POST_ONLY = [
    ("directory:absence_add", ["person"]),
    ("directory:absence_remove", ["person", "absence"]),
]


def _url(name: str, key: str | None, objects: dict, pk: int | None = None) -> str:
    if key is None:
        return reverse(name)
    return reverse(name, args=[pk if pk is not None else objects[key].pk])


@pytest.mark.parametrize(("name", "key"), GET_PAGES)
def test_it_shows_every_page_to_the_systemkoordinator(
    client_as, systemkoordinator, objects, name, key
):
    response = client_as(systemkoordinator).get(_url(name, key, objects))
    assert response.status_code == 200
    assert b"<h1>" in response.content


@pytest.mark.parametrize(("name", "key"), GET_PAGES)
def test_it_forbids_every_page_to_an_employee(client_as, employee, objects, name, key):
    assert client_as(employee).get(_url(name, key, objects)).status_code == 403


@pytest.mark.parametrize(("name", "key"), GET_PAGES)
def test_it_forbids_every_page_to_a_leader(client_as, leader, objects, name, key):
    assert client_as(leader).get(_url(name, key, objects)).status_code == 403


@pytest.mark.parametrize(("name", "key"), GET_PAGES)
def test_it_sends_anonymous_to_the_login(client, objects, name, key):
    response = client.get(_url(name, key, objects))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "key"), [(n, k) for n, k in GET_PAGES if k])
def test_it_gives_404_for_a_missing_object(client_as, systemkoordinator, objects, name, key):
    response = client_as(systemkoordinator).get(_url(name, key, objects, pk=987654))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "keys"), POST_ONLY)
def test_it_forbids_absence_changes_to_an_employee(client_as, employee, objects, name, keys):
    url = reverse(name, args=[objects[k].pk for k in keys])
    assert client_as(employee).post(url, {}).status_code == 403
    assert Absence.objects.count() == 1


@pytest.mark.parametrize(("name", "keys"), POST_ONLY)
def test_it_refuses_get_on_absence_changes(client_as, systemkoordinator, objects, name, keys):
    url = reverse(name, args=[objects[k].pk for k in keys])
    assert client_as(systemkoordinator).get(url).status_code == 405


def test_it_gives_404_for_an_absence_of_someone_else(
    client_as, systemkoordinator, objects, employee
):
    url = reverse("directory:absence_remove", args=[employee.person.pk, objects["absence"].pk])
    assert client_as(systemkoordinator).post(url).status_code == 404
    assert Absence.objects.filter(pk=objects["absence"].pk).exists()


def test_it_hides_the_chains_from_someone_without_manage_chains(client_as, make_user, objects):
    from django.contrib.auth.models import Permission

    user = make_user(Role.MEDARBEJDER, username="directory-only")
    user.user_permissions.add(Permission.objects.get(codename="manage_directory"))
    client = client_as(user)
    assert client.get(reverse("directory:index")).status_code == 200
    assert (
        reverse("directory:chain_list")
        not in client.get(reverse("directory:index")).content.decode()
    )
    assert client.get(reverse("directory:chain_list")).status_code == 403
    assert client.get(reverse("directory:person_list")).status_code == 200
