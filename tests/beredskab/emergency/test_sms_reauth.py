"""Re-authentication in a session made by an SMS code: no password to ask for, so the
one helper (beredskab.reauth) asks for a fresh code, sent on a POST and counted toward
the lock-out; password sessions keep the password."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from beredskab import reauth
from beredskab.models import OutboxMessage, SmsCode
from tests.beredskab.emergency.support import ask_for_code, enter_code, last_code_for


def sms_session(client, user):
    ask_for_code(client, user.get_username())
    enter_code(client, last_code_for(user))
    session = client.session
    session.pop(reauth.SESSION_KEY, None)  # as if the window had passed
    session.save()
    return client


def test_it_asks_an_sms_session_for_a_code_instead_of_the_password(client, employee, mode_on):
    client = sms_session(client, employee)
    page = client.get(reverse("reauth"))
    assert 'autocomplete="one-time-code"' in page.content.decode()
    assert 'type="password"' not in page.content.decode()
    # Continuing without a code sends one, by SMS to the directory's mobile.
    before = OutboxMessage.objects.filter(channel="sms").count()
    response = client.post(reverse("reauth"), {"password": "", "next": "/"})
    assert response.status_code == 400
    assert "Vi har sendt en kode" in response.content.decode()
    assert OutboxMessage.objects.filter(channel="sms").count() == before + 1
    assert SmsCode.objects.filter(purpose="reauth", user=employee).count() == 1
    response = client.post(reverse("reauth"), {"password": last_code_for(employee), "next": "/"})
    assert response.status_code == 302
    assert reauth.recently_authenticated(client_request(client))


def client_request(client):
    request = RequestFactory().get("/")
    request.session = client.session
    return request


def test_it_refuses_a_wrong_reauth_code_and_counts_it(client, employee, mode_on):
    client = sms_session(client, employee)
    client.post(reverse("reauth"), {"password": "", "next": "/"})
    right = last_code_for(employee)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(reverse("reauth"), {"password": wrong, "next": "/"})
    assert response.status_code == 400
    assert "Koden er forkert" in response.content.decode()
    assert AccessAttempt.objects.get(username="employee").failures_since_start == 1
    assert not reauth.recently_authenticated(client_request(client))


def test_it_does_not_take_a_login_code_for_reauthentication(client, employee, mode_on):
    client = sms_session(client, employee)
    ask_for_code(client.__class__(), "employee")  # a login code, from elsewhere
    login_code = last_code_for(employee)
    response = client.post(reverse("reauth"), {"password": login_code, "next": "/"})
    assert response.status_code == 400


def test_it_keeps_the_password_for_a_password_session(client_as, employee, mode_on):
    page = client_as(employee).get(reverse("reauth"))
    assert 'type="password"' in page.content.decode()
