"""Roles from one source: with ENTRA_ROLE_SOURCE="token" the token's app roles become
grants at sign-in (on the timeline, told), the portal's own grants stay on top; with
"scim" (the default) the token's roles are ignored."""

from __future__ import annotations

import pytest

from beredskab import entra
from beredskab.models import TimelineEvent
from beredskab.models.grants import GrantStatus
from beredskab.roles import Role, user_roles
from tests.entra_support import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_login(entra_settings, provider, make_user):
    user = make_user(Role.MEDARBEJDER, username="roles")
    return user


def _signed_in(client, provider, user, roles):
    entra.link(user, provider.add_user(user.username, roles=roles, acrs=["c1"]))
    response = sign_in(client, provider, user.username)
    assert response.status_code == 302
    user.refresh_from_db()
    return user


def test_it_applies_the_token_roles_when_the_token_is_the_source(
    client, provider, person_login, settings
):
    settings.ENTRA_ROLE_SOURCE = "token"
    user = _signed_in(client, provider, person_login, ["Beredskab.Leder", "Not.Mapped"])
    assert Role.LEDER in user_roles(user)
    assert Role.MEDARBEJDER in user_roles(user)  # the portal's own grant stays
    event = TimelineEvent.objects.filter(kind="person.role_granted").latest("pk")
    assert event.data["role"] == Role.LEDER and event.data["source"] == "Entra ID"


def test_it_removes_a_token_role_the_token_no_longer_carries(
    client, provider, person_login, settings
):
    settings.ENTRA_ROLE_SOURCE = "token"
    user = _signed_in(client, provider, person_login, ["Beredskab.Systemkoordinator"])
    assert Role.SYSTEMKOORDINATOR in user_roles(user)
    client.logout()
    provider.add_user("roles", oid=entra.oid_of(user), roles=[], acrs=["c1"])
    assert sign_in(client, provider, "roles").status_code == 302
    user = type(user).objects.get(pk=user.pk)
    assert Role.SYSTEMKOORDINATOR not in user_roles(user)
    assert Role.MEDARBEJDER in user_roles(user)  # never a portal grant
    assert user.person.role_grants.filter(
        role=Role.SYSTEMKOORDINATOR, status=GrantStatus.REMOVED
    ).exists()


def test_it_ignores_the_token_roles_when_scim_is_the_source(client, provider, person_login):
    user = _signed_in(client, provider, person_login, ["Beredskab.Systemkoordinator"])
    assert Role.SYSTEMKOORDINATOR not in user_roles(user)
