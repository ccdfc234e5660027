"""A login with a second factor: allauth.mfa asks for the code after the password; a
wrong or reused code gets a Danish answer and 400, nothing is half-done, and wrong codes
count toward the login's lock-out (axes: username and address) like wrong passwords."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from beredskab.models import LoginRecord
from tests.beredskab.mfa_support import give_totp, recovery_codes, totp_now, wrong_code
from tests.conftest import PASSWORD

ADDRESS_A = "198.51.100.10"
ADDRESS_B = "203.0.113.20"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = True


def password_step(client, username, address=ADDRESS_A, password=PASSWORD):
    return client.post(
        reverse("login"), {"login": username, "password": password}, REMOTE_ADDR=address
    )


def code_step(client, code, address=ADDRESS_A):
    return client.post(reverse("mfa_authenticate"), {"code": code}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_it_asks_for_the_code_after_the_password(client, systemkoordinator):
    give_totp(systemkoordinator)
    response = password_step(client, systemkoordinator.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not logged_in(client)
    # The half-done login reaches no page.
    assert client.get(reverse("home")).status_code == 302
    assert not logged_in(client)


def test_it_lets_the_right_code_in_and_records_the_login(client, systemkoordinator):
    secret = give_totp(systemkoordinator)
    password_step(client, systemkoordinator.username)
    response = code_step(client, totp_now(secret))
    assert response.status_code == 302
    assert logged_in(client)
    record = LoginRecord.objects.get(user=systemkoordinator)
    assert record.second_factor
    assert record.ip_address == ADDRESS_A


def test_it_answers_a_wrong_code_with_400_in_danish(client, systemkoordinator):
    secret = give_totp(systemkoordinator)
    password_step(client, systemkoordinator.username)
    response = code_step(client, wrong_code(secret))
    assert response.status_code == 400
    assert "Koden er forkert, eller den er allerede brugt" in response.content.decode()
    assert not logged_in(client)
    assert not LoginRecord.objects.filter(user=systemkoordinator).exists()


def test_it_refuses_a_code_used_once_already(client, systemkoordinator):
    secret = give_totp(systemkoordinator)
    code = totp_now(secret)
    password_step(client, systemkoordinator.username)
    assert code_step(client, code).status_code == 302
    client.post(reverse("logout"))
    password_step(client, systemkoordinator.username)
    response = code_step(client, code)
    assert response.status_code == 400
    assert "allerede brugt" in response.content.decode()
    assert not logged_in(client)


def test_it_takes_a_recovery_code_once(client, systemkoordinator):
    give_totp(systemkoordinator)
    code = recovery_codes(systemkoordinator)[0]
    password_step(client, systemkoordinator.username)
    assert code_step(client, code).status_code == 302
    client.post(reverse("logout"))
    password_step(client, systemkoordinator.username)
    assert code_step(client, code).status_code == 400


def test_it_counts_wrong_codes_toward_the_login_lockout(client, systemkoordinator):
    secret = give_totp(systemkoordinator)
    password_step(client, systemkoordinator.username)
    for _ in range(5):
        code_step(client, wrong_code(secret))
    # The right code is now refused too, and so is the password from that address...
    response = code_step(client, totp_now(secret))
    assert response.status_code in {400, 429}
    assert not logged_in(client)
    assert password_step(Client(), systemkoordinator.username).status_code == 429
    # ...but not from another address (the lock-out keys on both).
    other = password_step(Client(), systemkoordinator.username, address=ADDRESS_B)
    assert other.status_code == 302
    assert other["Location"] == reverse("mfa_authenticate")


def test_it_asks_an_employee_with_a_factor_too(client, employee):
    give_totp(employee)
    response = password_step(client, employee.username)
    assert response["Location"] == reverse("mfa_authenticate")


def test_it_asks_nothing_of_an_employee_without_a_factor(client, employee):
    response = password_step(client, employee.username)
    assert response.status_code == 302
    assert logged_in(client)
    assert not LoginRecord.objects.get(user=employee).second_factor
