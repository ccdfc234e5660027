"""Issue 22, deactivation: active:false or DELETE hands the person to
beredskab.leavers (login stops, sessions end, chain steps left, systemkoordinator
warned), recorded as the provisioning client's act, and an admin can undo it."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from beredskab.models import EscalationChain, EscalationStep, EventKind, OutboxMessage, Person
from beredskab.roles import Role
from beredskab.timeline import events_for
from tests.beredskab.scim_support import Scim, make_token
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def scim(db):
    return Scim(Client(), make_token("entra-id"))


def _provisioned(scim, user) -> Person:
    """Take over a fixture's person by SCIM (matched by e-mail), as Entra ID would."""
    body = scim.create_user(
        f"{user.username}@kommune.dk", email=user.person.email, mobile=str(user.person.mobile)
    )
    person = Person.objects.get(pk=body["id"])
    assert person == user.person
    return person


def test_it_deactivates_on_active_false_login_stops_sessions_end_steps_left(
    scim, employee, systemkoordinator
):
    person = _provisioned(scim, employee)
    session = Client()
    session.post(reverse("login"), {"login": "employee", "password": PASSWORD})
    assert session.get(reverse("home")).status_code == 200
    chain = EscalationChain.objects.create(name="Brud", event_kind=EventKind.BREACH)
    step = EscalationStep.objects.create(chain=chain, position=1, name="Kun medarbejderen")
    step.notify_people.add(person)

    response = scim.patch(
        f"/Users/{person.pk}", {"op": "replace", "path": "active", "value": False}
    )

    assert response.status_code == 200 and response.json()["active"] is False
    employee.refresh_from_db()
    assert employee.is_active is False
    assert session.get(reverse("home")).status_code == 302
    assert str(employee.pk) not in [
        s.get_decoded().get("_auth_user_id") for s in Session.objects.all()
    ]
    assert not step.notify_people.exists()
    assert OutboxMessage.objects.filter(person_id=systemkoordinator.person.pk).exists()
    event = events_for(person).filter(kind="person.deactivated").get()
    assert event.actor_text == "SCIM: entra-id" and event.actor_id is None


def test_it_deactivates_on_delete_and_the_user_is_gone_for_scim(scim, employee):
    person = _provisioned(scim, employee)
    assert scim.delete(f"/Users/{person.pk}").status_code == 204
    person.refresh_from_db()
    assert person.is_active is False and person.scim_user_name is None
    assert scim.get(f"/Users/{person.pk}").status_code == 404
    assert Person.objects.filter(pk=person.pk).exists()  # never deleted


def test_an_admin_undoes_a_deactivation_and_the_person_is_back_in_their_steps(
    scim, employee, make_user, client_as
):
    admin = make_user(Role.ADMIN, username="admin")
    person = _provisioned(scim, employee)
    chain = EscalationChain.objects.create(name="Brud", event_kind=EventKind.BREACH)
    step = EscalationStep.objects.create(chain=chain, position=1, name="Trin")
    step.notify_people.add(person)
    scim.patch(f"/Users/{person.pk}", {"op": "replace", "path": "active", "value": False})
    assert not step.notify_people.exists()

    client = client_as(admin)
    response = client.post(
        reverse("provisioning_reactivate", args=[person.pk]), {"password": PASSWORD}
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_active and list(step.notify_people.all()) == [person]
    assert events_for(person).last().kind == "person.reactivated"


def test_a_systemkoordinator_cannot_undo_a_deactivation(
    scim, employee, systemkoordinator, client_as
):
    person = _provisioned(scim, employee)
    scim.patch(f"/Users/{person.pk}", {"op": "replace", "path": "active", "value": False})
    response = client_as(systemkoordinator).post(
        reverse("provisioning_reactivate", args=[person.pk]), {"password": PASSWORD}
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.is_active is False


def test_a_put_without_active_leaves_a_deactivated_person_inactive(scim, employee):
    person = _provisioned(scim, employee)
    scim.patch(f"/Users/{person.pk}", {"op": "replace", "path": "active", "value": False})
    body = scim.get(f"/Users/{person.pk}").json()
    del body["active"]
    assert scim.put(f"/Users/{person.pk}", body).status_code == 200
    person.refresh_from_db()
    assert person.is_active is False
