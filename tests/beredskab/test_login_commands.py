"""The operator's commands for logins, now that Django admin has no user pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from beredskab import grants
from beredskab.models import Person
from beredskab.roles import Role
from beredskab.timeline import events_for


def test_it_creates_a_login_with_the_persons_granted_roles(db, systemkoordinator):
    person = Person.objects.create(name="Ny Kollega")
    grants.grant(person, Role.BEREDSKABSGRUPPE, by=systemkoordinator)
    call_command("create_login", person.pk, "ny", "ny@example.invalid")
    login = User.objects.get(username="ny")
    assert login.email == "ny@example.invalid" and not login.has_usable_password()
    assert set(login.groups.values_list("name", flat=True)) == {Role.BEREDSKABSGRUPPE}
    assert events_for(person).last().kind == "person.login_linked"


def test_it_refuses_a_person_who_already_has_a_login(employee):
    with pytest.raises(CommandError):
        call_command("create_login", employee.person.pk, "other", "other@example.invalid")


def test_it_reactivates_a_login_only_for_an_active_person(employee):
    User.objects.filter(pk=employee.pk).update(is_active=False)
    Person.objects.filter(pk=employee.person.pk).update(is_active=False)
    with pytest.raises(CommandError):
        call_command("reactivate_login", "employee")
    Person.objects.filter(pk=employee.person.pk).update(is_active=True)
    call_command("reactivate_login", "employee")
    assert User.objects.get(pk=employee.pk).is_active
