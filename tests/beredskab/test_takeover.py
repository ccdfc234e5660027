"""Issue 24, item 1: the directory never writes a login's e-mail, username or password.

The takeover it stops: a systemkoordinator set the e-mail of the person linked to the
superuser to their own address, Person.sync_login() copied it to the login, and the
password reset then mailed the superuser's reset link to the systemkoordinator.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from beredskab.models import OutboxMessage, Person
from beredskab.timeline import events_for
from tests.beredskab.person_forms import person_post, with_valid_mobile

ATTACKER_ADDRESS = "attacker@example.invalid"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def superuser(db, department):
    user = User.objects.create_superuser(
        username="root", password="root-password-5678", email="root@example.invalid"
    )
    Person.objects.create(
        name="Root Admin",
        department=department,
        email="root@example.invalid",
        mobile="+4521990011",
        user=user,
    )
    return user


def logs_in(client: Client, username: str, password: str) -> bool:
    """Through the login page, as a person would (axes needs the request)."""
    client.post(reverse("login"), {"login": username, "password": password})
    return "_auth_user_id" in client.session


def _edit(client, person: Person, **changes):
    return client.post(
        reverse("directory:person_edit", args=[person.pk]), person_post(person, **changes)
    )


def test_it_stops_the_takeover_of_the_superuser_end_to_end(superuser, systemkoordinator):
    attacker = Client()
    attacker.force_login(systemkoordinator)
    person = superuser.person

    # 1. The directory edit is saved, but the login keeps its own address.
    response = _edit(attacker, person, email=ATTACKER_ADDRESS)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == ATTACKER_ADDRESS
    superuser.refresh_from_db()
    assert superuser.email == "root@example.invalid"
    assert superuser.username == "root"
    assert superuser.check_password("root-password-5678")

    # 2. A password reset for the attacker's address sends no link for that login.
    mail.outbox.clear()
    anonymous = Client()
    anonymous.post(reverse("password_reset"), {"email": ATTACKER_ADDRESS})
    to_attacker = [m for m in mail.outbox if ATTACKER_ADDRESS in m.to]
    assert not [m for m in to_attacker if re.search(r"/reset/[^/\s]+/[^/\s]+/", m.body)]

    # 3. So the attacker has no way to set a password, and cannot log in as root.
    assert not logs_in(anonymous, "root", "attacker-chosen-1234")
    assert logs_in(Client(), "root", "root-password-5678")  # the owner still can


def test_the_directory_changes_no_login_of_an_ordinary_person(
    client_as, systemkoordinator, employee
):
    client = client_as(systemkoordinator)
    person = with_valid_mobile(employee.person)
    before = User.objects.filter(pk=employee.pk).values().get()
    response = _edit(client, person, email="new-address@example.invalid", name="Renamed")
    assert response.status_code == 302
    assert User.objects.filter(pk=employee.pk).values().get() == before


def test_it_tells_the_old_address_and_number_when_contact_details_change(
    client_as, systemkoordinator, employee
):
    client = client_as(systemkoordinator)
    person = with_valid_mobile(employee.person)
    old_email = person.email
    response = _edit(client, person, email=ATTACKER_ADDRESS, mobile="30 11 22 33")
    assert response.status_code == 302
    told = OutboxMessage.objects.filter(person_id=person.pk)
    assert sorted(told.values_list("channel", "recipient")) == [
        ("email", old_email),
        ("sms", "+4521990077"),
    ]
    assert not told.filter(recipient__in=[ATTACKER_ADDRESS, "+4530112233"]).exists()
    assert all("changed your e-mail address, mobile number" in m.body for m in told)
    # On the person's timeline, without the addresses themselves.
    event = events_for(person).get()
    assert event.data == {"changed": ["email", "mobile"]}


def test_it_tells_nobody_when_the_contact_details_stay(client_as, systemkoordinator, employee):
    client = client_as(systemkoordinator)
    person = with_valid_mobile(employee.person)
    assert _edit(client, person, title="Sagsbehandler").status_code == 302
    assert not OutboxMessage.objects.exists()
