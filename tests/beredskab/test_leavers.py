"""Issue 24, item 6: a person deactivated in the directory loses access at once: the
login is disabled, their sessions end, they leave the chain steps that name them,
and the systemkoordinator is warned of a step that then reaches nobody."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from beredskab.leavers import end_sessions
from beredskab.models import EscalationChain, EscalationStep, EventKind, OutboxMessage
from beredskab.roles import Role
from beredskab.timeline import events_for
from tests.beredskab.person_forms import person_post, with_valid_mobile
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _logged_in(username: str) -> Client:
    client = Client()
    client.post(reverse("login"), {"login": username, "password": PASSWORD})
    assert "_auth_user_id" in client.session
    return client


def _deactivate(client, person):
    data = person_post(person)
    data.pop("is_active", None)
    return client.post(reverse("directory:person_edit", args=[person.pk]), data)


def test_a_deactivated_persons_session_ends_and_they_cannot_log_in_again(
    client_as, systemkoordinator, employee
):
    leaver = _logged_in("employee")
    assert leaver.get(reverse("home")).status_code == 200
    bystander = _logged_in("koordinator")
    person = with_valid_mobile(employee.person)

    assert _deactivate(client_as(systemkoordinator), person).status_code == 302

    employee.refresh_from_db()
    assert employee.is_active is False
    response = leaver.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    # Their session rows are gone; the systemkoordinator's is not.
    users = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(employee.pk) not in users and str(systemkoordinator.pk) in users
    assert bystander.get(reverse("home")).status_code == 200
    again = Client()
    again.post(reverse("login"), {"login": "employee", "password": PASSWORD})
    assert "_auth_user_id" not in again.session
    event = events_for(person).last()
    assert event.kind == "person.deactivated"
    assert event.data["login_disabled"] is True and event.data["sessions_ended"] == 1


def test_it_takes_the_leaver_out_of_chain_steps_and_warns_the_systemkoordinator(
    client_as, systemkoordinator, employee
):
    chain = EscalationChain.objects.create(name="Brud", event_kind=EventKind.BREACH)
    alone = EscalationStep.objects.create(chain=chain, position=1, name="Kun medarbejderen")
    alone.notify_people.add(employee.person)
    shared = EscalationStep.objects.create(chain=chain, position=2, name="Også koordinatoren")
    shared.notify_people.add(employee.person, systemkoordinator.person)
    Person = type(employee.person)
    Person.objects.filter(pk=systemkoordinator.person.pk).update(mobile="+4521990088")

    response = _deactivate(client_as(systemkoordinator), with_valid_mobile(employee.person))

    assert response.status_code == 302
    assert not alone.notify_people.exists()
    assert list(shared.notify_people.all()) == [systemkoordinator.person]
    warned = OutboxMessage.objects.filter(person_id=systemkoordinator.person.pk)
    assert sorted(warned.values_list("channel", flat=True)) == ["email", "sms"]
    body = warned.first().body
    assert "Kun medarbejderen" in body and "Også koordinatoren" not in body
    assert [e.kind for e in events_for(chain)] == ["chain.updated", "chain.updated"]


def test_it_warns_nobody_when_every_step_still_reaches_someone(
    client_as, systemkoordinator, employee, make_user
):
    colleague = make_user(Role.MEDARBEJDER, username="colleague")
    chain = EscalationChain.objects.create(name="Nedbrud", event_kind=EventKind.SYSTEM_OUTAGE)
    step = EscalationStep.objects.create(chain=chain, position=1, name="To personer")
    step.notify_people.add(employee.person, colleague.person)
    _deactivate(client_as(systemkoordinator), with_valid_mobile(employee.person))
    assert list(step.notify_people.all()) == [colleague.person]
    assert not OutboxMessage.objects.filter(person_id=systemkoordinator.person.pk).exists()


def test_end_sessions_leaves_other_users_sessions_alone(employee, systemkoordinator):
    _logged_in("employee")
    _logged_in("employee")
    _logged_in("koordinator")
    assert end_sessions(employee) == 2
    assert Session.objects.count() == 1
