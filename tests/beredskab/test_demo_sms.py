"""/demo/sms/: what the demo's console backend would have sent. An acknowledgement link
acts in its recipient's name, so only an admin sees every message (issue 24, item 8)."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from beredskab.access import person_of
from beredskab.models import OutboxMessage
from beredskab.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    # The demo runs with DEBUG off (issue 21): the page follows DJANGO_ENV, not DEBUG.
    settings.DEBUG = False
    settings.SMS_BACKEND = "console"
    settings.PRODUCTION = False


def sms(key: str, body: str, person=None, recipient: str = "+4521980999") -> OutboxMessage:
    return OutboxMessage.objects.create(
        channel="sms",
        recipient=str(person.mobile) if person else recipient,
        recipient_name=person.name if person else "",
        person=person,
        body=body,
        idempotency_key=key,
    )


def test_it_lists_what_the_console_backend_would_have_sent_to_the_person(demo, client_as, employee):
    sms("demo-1", "Kvittér: x", person=person_of(employee))
    response = client_as(employee).get(reverse("demo_sms"))
    assert response.status_code == 200
    assert "Kvittér: x" in response.content.decode()


def test_it_shows_anyone_but_an_admin_only_the_messages_sent_to_their_own_person(
    demo, client_as, employee, leader
):
    sms("mine", "Kvittér for min: /a/mine-token/", person=person_of(employee))
    sms("theirs", "Kvittér for leder: /a/leader-token/", person=person_of(leader))
    sms("citizen", "Din tid er aflyst", recipient="+4521980998")
    page = client_as(employee).get(reverse("demo_sms")).content.decode()
    assert "mine-token" in page
    assert "leader-token" not in page
    assert "Din tid er aflyst" not in page


def test_it_matches_a_message_without_a_person_by_the_persons_own_number(demo, client_as, employee):
    sms("by-number", "Til dit nummer", recipient=str(person_of(employee).mobile))
    page = client_as(employee).get(reverse("demo_sms")).content.decode()
    assert "Til dit nummer" in page


def test_it_shows_a_login_without_a_person_nothing(demo, client):
    sms("someone", "Kvittér: /a/someone-token/", recipient="+4521980997")
    bare = User.objects.create_user("bare", password="x")
    client.force_login(bare)
    response = client.get(reverse("demo_sms"))
    assert response.status_code == 200
    assert "someone-token" not in response.content.decode()


def test_it_shows_an_admin_every_message(demo, client_as, make_user, employee, leader):
    admin = make_user(Role.ADMIN, username="portal-admin")
    sms("mine", "Kvittér: /a/employee-token/", person=person_of(employee))
    sms("theirs", "Kvittér: /a/leader-token/", person=person_of(leader))
    page = client_as(admin).get(reverse("demo_sms")).content.decode()
    assert "employee-token" in page
    assert "leader-token" in page


def test_it_shows_a_superuser_every_message(demo, client, employee):
    sms("mine", "Kvittér: /a/employee-token/", person=person_of(employee))
    client.force_login(User.objects.create_superuser("root", password="x"))
    assert "employee-token" in client.get(reverse("demo_sms")).content.decode()


def test_it_does_not_exist_outside_the_demo(client_as, employee, settings):
    settings.DEBUG = True
    settings.SMS_BACKEND = "twilio"
    assert client_as(employee).get(reverse("demo_sms")).status_code == 404


def test_it_does_not_exist_in_production_even_with_debug_and_the_console_backend(
    demo, client_as, employee, settings
):
    settings.PRODUCTION = True
    assert client_as(employee).get(reverse("demo_sms")).status_code == 404


def test_it_exists_in_the_demo_with_debug_off(demo, client_as, employee):
    assert client_as(employee).get(reverse("demo_sms")).status_code == 200
