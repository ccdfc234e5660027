"""Linking a login to Entra ID: by oid only, by an admin's command; the login loses its
portal password, and a password reset for its address sends nothing."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from beredskab import entra
from beredskab.models import TimelineEvent
from beredskab.roles import Role

pytestmark = pytest.mark.django_db
OID = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"


def test_it_links_by_command_and_removes_the_password(employee):
    assert employee.has_usable_password()
    call_command("link_entra", employee.username, OID.upper())
    employee.refresh_from_db()
    assert not employee.has_usable_password()
    account = SocialAccount.objects.get(user=employee)
    assert (account.provider, account.uid) == ("entra", OID)
    assert entra.login_for_oid(OID) == employee
    assert TimelineEvent.objects.filter(kind="person.entra_linked").exists()


def test_it_refuses_a_bad_oid_or_one_taken(employee, make_user):
    with pytest.raises(CommandError):
        call_command("link_entra", employee.username, "kim@example.invalid")
    call_command("link_entra", employee.username, OID)
    other = make_user(Role.MEDARBEJDER, username="other")
    with pytest.raises(CommandError):
        call_command("link_entra", other.username, OID)


def test_it_finds_nobody_by_e_mail_or_for_an_inactive_login(employee):
    entra.link(employee, OID)
    assert entra.login_for_oid(employee.email) is None
    employee.is_active = False
    employee.save()
    assert entra.login_for_oid(OID) is None


def test_it_sends_no_password_reset_to_an_entra_login(client, employee, make_user):
    entra.link(employee, OID)
    response = client.post(reverse("password_reset"), {"email": employee.email})
    # The same answer as for any address, and nothing sent.
    assert response.status_code == 302
    assert mail.outbox == []
    # A login with a portal password still gets its reset.
    other = make_user(Role.MEDARBEJDER, username="pw")
    client.post(reverse("password_reset"), {"email": other.email})
    assert [m.to for m in mail.outbox] == [[other.email]]


def test_it_refuses_the_password_login_for_an_entra_login(client, employee):
    from tests.conftest import PASSWORD

    entra.link(employee, OID)
    response = client.post(reverse("login"), {"login": employee.username, "password": PASSWORD})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
