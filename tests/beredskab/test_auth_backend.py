"""The portal's login backend answers as Django's ModelBackend does, in fewer queries."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beredskab.access import can, person_of
from beredskab.auth_backend import PortalBackend
from beredskab.roles import Role, has_role, user_roles

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    return PortalBackend().get_user(user.pk)


def model_backend_permissions(user: User) -> set[str]:
    return ModelBackend().get_all_permissions(User.objects.get(pk=user.pk))


def test_roles_and_permissions_are_model_backends(make_user):
    user = make_user(Role.LEDER, Role.SYSTEMKOORDINATOR)
    direct = Permission.objects.get(codename="view_user")
    user.user_permissions.add(direct)
    expected = model_backend_permissions(user)
    assert "auth.view_user" in expected  # a direct permission, beside the roles'

    loaded = fresh(user)
    assert PortalBackend().get_all_permissions(loaded) == expected
    assert loaded.get_user_permissions() == {"auth.view_user"}
    assert user_roles(loaded) == {Role.LEDER, Role.SYSTEMKOORDINATOR}
    assert can(loaded, "view_incident_log")
    assert can(loaded, "manage_directory") == ("beredskab.manage_directory" in expected)


def test_one_query_answers_roles_and_permissions(make_user):
    user = fresh(make_user(Role.SYSTEMKOORDINATOR))
    with CaptureQueriesContext(connection) as queries:
        assert has_role(user, Role.SYSTEMKOORDINATOR)
        assert not has_role(user, Role.LEDER)
        assert can(user, "view_incident_log")
        assert not can(user, "send_mass_sms")
    assert len(queries) == 1


def test_permissions_first_then_roles_still_one_query(make_user):
    user = fresh(make_user(Role.LEDER))
    with CaptureQueriesContext(connection) as queries:
        user.has_perm("beredskab.view_incident_log")
        user_roles(user)
    assert len(queries) == 1


def test_person_comes_with_the_login(make_user):
    user = make_user(Role.MEDARBEJDER)
    with CaptureQueriesContext(connection) as queries:
        loaded = fresh(user)
        assert person_of(loaded).pk == user.person.pk
    assert len(queries) == 1


def test_a_login_without_a_person(db):
    bare = User.objects.create_user("bare", password="x-long-password-1")
    with CaptureQueriesContext(connection) as queries:
        loaded = fresh(bare)
        assert person_of(loaded) is None
    assert len(queries) == 1
    assert user_roles(loaded) == set()
    assert loaded.get_all_permissions() == set()


def test_a_role_without_permissions_and_a_group_change_on_a_new_request(make_user):
    user = make_user(Role.MEDARBEJDER)
    empty = Group.objects.create(name="no-permissions")
    user.groups.add(empty)
    loaded = fresh(user)
    assert empty.name in user_roles(loaded)
    assert PortalBackend().get_all_permissions(loaded) == model_backend_permissions(user)
    user.groups.set(Group.objects.filter(name=Role.SYSTEMKOORDINATOR))
    assert can(fresh(user), "view_incident_log")


def test_superuser_and_inactive_user_as_model_backend(db):
    root = User.objects.create_superuser("root", password="x-long-password-1")
    loaded = fresh(root)
    assert loaded.has_perm("beredskab.manage_directory")
    assert PortalBackend().get_all_permissions(loaded) == model_backend_permissions(root)

    gone = User.objects.create_user("gone", password="x-long-password-1", is_active=False)
    gone.groups.set(Group.objects.filter(name=Role.SYSTEMKOORDINATOR))
    assert fresh(gone) is None  # an inactive login is no session's user
    assert PortalBackend().get_all_permissions(gone) == set()
    assert not gone.has_perm("beredskab.view_incident_log")
