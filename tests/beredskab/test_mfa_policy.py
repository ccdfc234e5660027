"""Who must have a second factor (beredskab/mfa_policy.py): a privileged login without
Entra ID proof, while MFA_REQUIRED_FOR_PRIVILEGED is on; such a person without a factor
sees only the enrolment pages."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from beredskab import reauth
from beredskab.mfa_policy import ENTRA_PROOF_SESSION_KEY, requires_second_factor
from beredskab.roles import Role
from tests.beredskab.mfa_support import give_totp


@pytest.fixture(autouse=True)
def _required(settings):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = True


def _request(session=None):
    request = RequestFactory().get("/")
    request.session = session or {}
    return request


def test_it_requires_a_factor_of_every_privileged_role(make_user):
    for role in (Role.ADMIN, Role.SYSTEMKOORDINATOR, Role.IT):
        assert requires_second_factor(make_user(role), _request()), role


def test_it_requires_a_factor_of_a_role_that_reaches_outside(make_user):
    # leder sends broadcasts: privileged by permission (beredskab.authority).
    assert requires_second_factor(make_user(Role.LEDER), _request())


def test_it_requires_a_factor_of_a_superuser(db):
    root = User.objects.create_superuser("root", "root@example.invalid", "x-root-1234")
    assert requires_second_factor(root, _request())


def test_it_does_not_require_a_factor_of_an_employee(employee):
    assert not requires_second_factor(employee, _request())


def test_it_does_not_require_the_portals_factor_with_entra_proof(systemkoordinator):
    assert not requires_second_factor(systemkoordinator, _request({ENTRA_PROOF_SESSION_KEY: True}))


def test_it_requires_nothing_when_the_setting_is_off(settings, systemkoordinator):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = False
    assert not requires_second_factor(systemkoordinator, _request())


def test_it_is_on_in_production_by_default():
    from beredskab import settings as portal_settings

    # The module-level default is PRODUCTION unless the environment says otherwise.
    assert portal_settings.MFA_REQUIRED_FOR_PRIVILEGED == portal_settings.PRODUCTION


def test_it_sends_a_privileged_person_without_a_factor_to_enrolment(client_as, systemkoordinator):
    client = client_as(systemkoordinator)
    for url in (reverse("home"), reverse("directory:index"), reverse("my_account")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_enrol")
    # A POST elsewhere is not carried out either.
    assert client.post(reverse("directory:person_create"), {}).status_code == 302


def test_it_lets_the_enrolment_pages_and_logout_through(client_as, systemkoordinator):
    client = client_as(systemkoordinator)
    assert client.get(reverse("mfa_enrol")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] != reverse("mfa_enrol")


def test_it_lets_an_employee_through(client_as, employee):
    assert client_as(employee).get(reverse("home")).status_code == 200


def test_it_lets_a_privileged_person_with_a_factor_through(client_as, systemkoordinator):
    give_totp(systemkoordinator)
    assert client_as(systemkoordinator).get(reverse("home")).status_code == 200


def test_it_lets_a_privileged_person_with_entra_proof_through(client_as, systemkoordinator):
    client = client_as(systemkoordinator)
    session = client.session
    session[ENTRA_PROOF_SESSION_KEY] = True
    session.save()
    assert client.get(reverse("home")).status_code == 200


def test_it_does_not_let_the_last_factor_of_a_required_person_go(client_as, systemkoordinator):
    give_totp(systemkoordinator)
    client = client_as(systemkoordinator)
    session = client.session
    session[reauth.SESSION_KEY] = timezone.now().isoformat()  # within the window
    session.save()
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200  # the form, with allauth's refusal
    assert Authenticator.objects.filter(user=systemkoordinator, type="totp").exists()


def test_it_lets_an_employee_remove_their_only_factor(client_as, employee):
    give_totp(employee)
    client = client_as(employee)
    session = client.session
    session[reauth.SESSION_KEY] = timezone.now().isoformat()
    session.save()
    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=employee, type="totp").exists()
