"""Issue 24, item 1: Django admin is for superusers only, and has no User or Group
pages (logins and roles are managed on the portal's pages, under its rules)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.urls import NoReverseMatch, reverse

from beredskab.models import OutboxMessage, Person
from beredskab.roles import Role


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(
        username="root", password="root-password-5678", email="root@example.invalid"
    )


def test_it_refuses_admin_to_a_staff_admin_role_that_is_not_superuser(client_as, make_user):
    staff_admin = make_user(Role.ADMIN, username="staff-admin")
    User.objects.filter(pk=staff_admin.pk).update(is_staff=True)
    staff_admin.refresh_from_db()
    client = client_as(staff_admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    response = client.get(reverse("admin:beredskab_person_changelist"))
    assert response.status_code == 302


def test_it_lets_a_superuser_in(client_as, superuser):
    assert client_as(superuser).get(reverse("admin:index")).status_code == 200


def test_it_has_no_user_or_group_pages(client_as, superuser):
    assert not admin.site.is_registered(User)
    assert not admin.site.is_registered(Group)
    with pytest.raises(NoReverseMatch):
        reverse("admin:auth_user_changelist")
    assert client_as(superuser).get("/admin/auth/user/").status_code == 404


def test_it_shows_the_admin_menu_item_only_to_superusers(client_as, make_user, superuser):
    staff_admin = make_user(Role.ADMIN, username="staff-admin")
    User.objects.filter(pk=staff_admin.pk).update(is_staff=True)
    staff_admin.refresh_from_db()
    admin_url = reverse("admin:index")
    assert f'href="{admin_url}"' not in client_as(staff_admin).get("/").content.decode()
    assert f'href="{admin_url}"' in client_as(superuser).get("/").content.decode()


def test_the_person_admin_sets_no_roles_and_tells_the_old_address(client_as, superuser, employee):
    person = employee.person
    Person.objects.filter(pk=person.pk).update(mobile="+4521990077")
    it = Group.objects.get(name=Role.IT)
    url = reverse("admin:beredskab_person_change", args=[person.pk])
    data = {
        "name": person.name,
        "email": "new@example.invalid",
        "mobile": "+4521990077",
        "department": person.department_id,
        "has_it_access": "on",
        "is_active": "on",
        "user": employee.pk,
        "roles": [it.pk],
        "absences-TOTAL_FORMS": "0",
        "absences-INITIAL_FORMS": "0",
        "absences-MIN_NUM_FORMS": "0",
        "absences-MAX_NUM_FORMS": "1000",
    }
    response = client_as(superuser).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.email == "new@example.invalid"
    assert not person.roles.filter(name=Role.IT).exists()
    assert not employee.groups.filter(name=Role.IT).exists()
    employee.refresh_from_db()
    assert employee.email == "employee@example.invalid"
    assert OutboxMessage.objects.filter(recipient="employee@example.invalid").exists()
