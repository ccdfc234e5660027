"""An admin resets a person's second factors (lost phone): admin role or superuser,
after re-authentication, on the person's timeline, told to the person by e-mail and SMS,
and the person's sessions end."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from beredskab import timeline
from beredskab.models import OutboxMessage
from beredskab.roles import Role
from tests.beredskab.mfa_support import give_totp
from tests.conftest import PASSWORD


def url(person):
    return reverse("directory:reset_factors", args=[person.pk])


def test_it_lets_an_admin_reset_a_persons_factors(client_as, make_user, systemkoordinator):
    admin = make_user(Role.ADMIN)
    give_totp(systemkoordinator)
    victim = Client()  # the person's own session, in another browser
    victim.force_login(systemkoordinator)
    client = client_as(admin)
    person = systemkoordinator.person
    response = client.post(url(person), {"password": PASSWORD})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=systemkoordinator).exists()
    event = list(timeline.events_for(person))[-1]
    assert event.kind == "mfa.factors_reset"
    assert event.actor_id == admin.pk
    assert set(event.data["types"]) == {"totp", "recovery_codes"}
    channels = set(OutboxMessage.objects.filter(person=person).values_list("channel", flat=True))
    assert channels == {"sms", "email"}
    assert victim.get(reverse("home")).status_code == 302  # their sessions ended


def test_it_asks_the_admin_to_reauthenticate(client_as, make_user, systemkoordinator):
    admin = make_user(Role.ADMIN)
    give_totp(systemkoordinator)
    response = client_as(admin).post(url(systemkoordinator.person), {})
    assert response.status_code == 400
    assert Authenticator.objects.filter(user=systemkoordinator).exists()


def test_it_lets_a_superuser_reset(client, systemkoordinator):
    User.objects.create_superuser("root", "root@example.invalid", PASSWORD)
    client.force_login(User.objects.get(username="root"))
    give_totp(systemkoordinator)
    response = client.post(url(systemkoordinator.person), {"password": PASSWORD})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=systemkoordinator).exists()


def test_it_refuses_anyone_else(client_as, make_user, systemkoordinator, employee):
    give_totp(employee)
    for role in (Role.SYSTEMKOORDINATOR, Role.IT, Role.LEDER):
        client = client_as(make_user(role))
        response = client.post(url(employee.person), {"password": PASSWORD})
        assert response.status_code == 403, role
    assert Authenticator.objects.filter(user=employee).exists()


def test_it_shows_the_reset_on_the_persons_page_to_an_admin_only(client_as, make_user, employee):
    admin_page = client_as(make_user(Role.ADMIN)).get(
        reverse("directory:person_detail", args=[employee.person.pk])
    )
    assert url(employee.person) in admin_page.content.decode()
    koordinator_page = client_as(make_user(Role.SYSTEMKOORDINATOR)).get(
        reverse("directory:person_detail", args=[employee.person.pk])
    )
    assert url(employee.person) not in koordinator_page.content.decode()
