""" "Min konto" (/konto/): the person's factors, open sessions with "log ud overalt"
(every session ends, on the timeline), recent logins, and the mobile and e-mail the
directory holds (read-only, with whom to ask)."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from beredskab import timeline
from beredskab.models import LoginRecord
from tests.beredskab.mfa_support import give_totp
from tests.conftest import PASSWORD


def login(username, address="198.51.100.10") -> Client:
    client = Client(HTTP_USER_AGENT="Testbrowser/1.0")
    response = client.post(
        reverse("login"), {"login": username, "password": PASSWORD}, REMOTE_ADDR=address
    )
    assert response.status_code == 302
    return client


def test_it_shows_the_directorys_mobile_and_email_and_whom_to_ask(employee):
    client = login(employee.username)
    html = client.get(reverse("my_account")).content.decode()
    person = employee.person
    assert str(person.mobile) in html
    assert person.email in html
    assert "systemkoordinator" in html.lower()


def test_it_lists_the_factors(client_as, employee):
    give_totp(employee)
    response = client_as(employee).get(reverse("my_account"))
    assert response.context["totp"]
    assert response.context["recovery"]


def test_it_lists_recent_logins_with_address_and_browser(employee):
    login(employee.username, address="203.0.113.7")
    client = login(employee.username)
    html = client.get(reverse("my_account")).content.decode()
    assert "203.0.113.7" in html
    assert "Testbrowser/1.0" in html
    assert LoginRecord.objects.filter(user=employee).count() == 2


def test_it_lists_every_open_session_of_the_person(employee, leader):
    login(employee.username)
    client = login(employee.username)
    login(leader.username)
    sessions = client.get(reverse("my_account")).context["sessions"]
    assert len(sessions) == 2
    assert sum(1 for s in sessions if s["current"]) == 1


def test_it_logs_out_everywhere_and_puts_it_on_the_timeline(employee, leader):
    other = login(employee.username)
    client = login(employee.username)
    colleague = login(leader.username)
    response = client.post(reverse("log_out_everywhere"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert other.get(reverse("home")).status_code == 302  # the other browser is out too
    assert client.get(reverse("home")).status_code == 302
    assert colleague.get(reverse("home")).status_code == 200  # nobody else's
    remaining = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(employee.pk) not in remaining
    event = [e for e in timeline.events_for(employee.person)][-1]
    assert event.kind == "login.logged_out_everywhere"
    assert event.data["sessions"] == 2


def test_it_is_in_the_user_menu(client_as, employee):
    html = client_as(employee).get(reverse("home")).content.decode()
    assert reverse("my_account") in html
