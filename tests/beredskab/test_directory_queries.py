"""The directory's lists cost a fixed number of SQL queries, whatever the number of rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beredskab.models import (
    Absence,
    Department,
    EscalationChain,
    EscalationStep,
    Person,
    Supplier,
    System,
)
from beredskab.roles import Role


def _people(n: int, offset: int) -> None:
    now = timezone.now()
    groups = list(Group.objects.filter(name__in=[Role.MEDARBEJDER, Role.LEDER]))
    for i in range(offset, offset + n):
        department = Department.objects.create(name=f"Enhed {i}")
        user = User.objects.create_user(username=f"bulk-{i}")
        person = Person.objects.create(name=f"Person {i}", department=department, user=user)
        person.roles.set(groups)
        department.leaders.set([person])
        department.deputy = person
        department.save()
        Absence.objects.create(person=person, starts_at=now, ends_at=now + timedelta(days=1))


def _systems(n: int, offset: int) -> None:
    coordinator = Person.objects.create(name=f"Koordinator {offset}")
    for i in range(offset, offset + n):
        supplier = Supplier.objects.create(name=f"Leverandør {i}")
        System.objects.create(name=f"System {i}", supplier=supplier, coordinator=coordinator)


def _chains(n: int, offset: int) -> None:
    for i in range(offset, offset + n):
        chain = EscalationChain.objects.create(name=f"Kæde {i}", event_kind="breach")
        EscalationStep.objects.create(chain=chain, position=1, name="Trin")


FILLERS = {
    "directory:person_list": _people,
    "directory:department_list": _people,
    "directory:system_list": _systems,
    "directory:supplier_list": _systems,
    "directory:chain_list": _chains,
}


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", list(FILLERS))
def test_a_list_costs_the_same_queries_for_2_and_20_rows(client_as, systemkoordinator, name):
    client = client_as(systemkoordinator)
    url = reverse(name)
    client.get(url)  # warm per-user caches (session, permissions) out of the count
    FILLERS[name](2, 0)
    with_two = _count(client, url)
    FILLERS[name](18, 100)
    with_twenty = _count(client, url)
    assert with_twenty == with_two


def test_the_department_list_shows_the_tree_with_nesting(client_as, systemkoordinator):
    top = Department.objects.create(name="Top-X", kind="forvaltning")
    unit = Department.objects.create(name="Middle-Y", parent=top)
    Department.objects.create(name="Bottom-Z", parent=unit)
    html = client_as(systemkoordinator).get(reverse("directory:department_list")).content.decode()
    # Each level is a list inside the item of its parent.
    top_at = html.index(">Top-X<")
    unit_at = html.index(">Middle-Y<")
    team_at = html.index(">Bottom-Z<")
    assert top_at < unit_at < team_at
    assert html[top_at:unit_at].count("<ul>") == 1
    assert html[unit_at:team_at].count("<ul>") == 1


def test_the_tree_survives_a_cycle(db):
    a = Department.objects.create(name="A")
    b = Department.objects.create(name="B", parent=a)
    Department.objects.filter(pk=a.pk).update(parent=b)
    tree = Department.tree(Department.objects.all())
    assert [d.name for d, _ in tree] == ["A"]
    assert [d.name for d, _ in tree[0][1]] == ["B"]
