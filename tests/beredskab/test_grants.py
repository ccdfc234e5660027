"""Issue 24, item 2: roles are granted by the table of who may grant what, never to
oneself, privileged roles with a second person's approval; every step on the
person's timeline and told to the person and the admins."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from beredskab import grants
from beredskab.models import OutboxMessage, RoleGrant
from beredskab.models.grants import GrantStatus
from beredskab.roles import Role
from beredskab.timeline import events_for
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def second_koordinator(make_user):
    return make_user(Role.MEDARBEJDER, Role.SYSTEMKOORDINATOR, username="koordinator-2")


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMIN, username="the-admin")


def _roles(user) -> set[str]:
    return set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


def _grant_post(client, person, role, password=PASSWORD):
    return client.post(
        reverse("directory:role_grant", args=[person.pk]), {"role": role, "password": password}
    )


def test_it_grants_an_ordinary_role_at_once(client_as, systemkoordinator, employee):
    response = _grant_post(client_as(systemkoordinator), employee.person, Role.BEREDSKABSGRUPPE)
    assert response.status_code == 302
    assert Role.BEREDSKABSGRUPPE in _roles(employee)
    assert employee.person.roles.filter(name=Role.BEREDSKABSGRUPPE).exists()
    item = RoleGrant.objects.get(person=employee.person, role=Role.BEREDSKABSGRUPPE)
    assert item.status == GrantStatus.ACTIVE and item.granted_by == systemkoordinator


def test_nobody_grants_themself_a_role(client_as, systemkoordinator, second_koordinator):
    client = client_as(systemkoordinator)
    response = _grant_post(client, systemkoordinator.person, Role.IT)
    assert response.status_code == 400
    assert Role.IT not in _roles(systemkoordinator)
    with pytest.raises(grants.GrantError):
        grants.grant(systemkoordinator.person, Role.BEREDSKABSGRUPPE, by=systemkoordinator)
    assert not RoleGrant.objects.filter(person=systemkoordinator.person, is_direct=False).exists()


def test_a_systemkoordinator_cannot_grant_admin_or_systemkoordinator(
    client_as, systemkoordinator, employee
):
    client = client_as(systemkoordinator)
    for role in (Role.ADMIN, Role.SYSTEMKOORDINATOR):
        assert _grant_post(client, employee.person, role).status_code == 400
        with pytest.raises(grants.GrantError):
            grants.grant(employee.person, role, by=systemkoordinator)
    assert _roles(employee) == {Role.MEDARBEJDER}


def test_a_privileged_role_waits_for_a_second_person(
    client_as, systemkoordinator, second_koordinator, employee
):
    response = _grant_post(client_as(systemkoordinator), employee.person, Role.IT)
    assert response.status_code == 302
    item = RoleGrant.objects.get(person=employee.person, role=Role.IT)
    assert item.status == GrantStatus.PENDING
    assert Role.IT not in _roles(employee)
    # Neither the granter nor the grantee approves it.
    with pytest.raises(grants.GrantError):
        grants.approve(item, by=systemkoordinator)
    with pytest.raises(grants.GrantError):
        grants.approve(item, by=employee)
    assert Role.IT not in _roles(employee)
    grants.approve(item, by=second_koordinator)
    item.refresh_from_db()
    assert item.status == GrantStatus.ACTIVE and item.decided_by == second_koordinator
    assert Role.IT in _roles(employee)


def test_the_grantee_cannot_decide_on_their_own_grant_even_if_they_may_grant(
    admin_user, systemkoordinator, second_koordinator
):
    # The admin asks to make a systemkoordinator also IT; that coordinator may grant IT
    # but not to themself.
    item = grants.grant(second_koordinator.person, Role.IT, by=admin_user)
    assert item.status == GrantStatus.PENDING
    assert not grants.may_decide(second_koordinator, item)
    with pytest.raises(grants.GrantError):
        grants.approve(item, by=second_koordinator)
    grants.approve(item, by=systemkoordinator)
    assert Role.IT in _roles(second_koordinator)


def test_a_refused_grant_never_takes_effect(systemkoordinator, second_koordinator, employee):
    item = grants.grant(employee.person, Role.IT, by=systemkoordinator)
    grants.refuse(item, by=second_koordinator, reason="Ikke aftalt")
    item.refresh_from_db()
    assert item.status == GrantStatus.REFUSED and item.reason == "Ikke aftalt"
    assert Role.IT not in _roles(employee)
    with pytest.raises(grants.GrantError):
        grants.approve(item, by=second_koordinator)


def test_the_only_holder_of_the_power_grants_at_once_recorded_and_told(db, department):
    first = User.objects.create_superuser("root", "root@example.invalid", "root-password-5678")
    from beredskab.models import Person

    person = Person.objects.create(name="Første Koordinator", email="k@example.invalid")
    item = grants.grant(person, Role.SYSTEMKOORDINATOR, by=first)
    assert item.status == GrantStatus.ACTIVE and item.without_second_person
    assert person.roles.filter(name=Role.SYSTEMKOORDINATOR).exists()
    event = events_for(person).get()
    assert event.kind == "person.role_granted"
    assert event.data["without_second_person"] is True
    told = set(OutboxMessage.objects.values_list("recipient", flat=True))
    assert told == {"k@example.invalid", "root@example.invalid"}
    body = OutboxMessage.objects.first().body
    assert "without a second person" in body


def test_removal_needs_someone_who_may_grant_it_and_never_oneself(
    client_as, make_user, systemkoordinator, employee
):
    kcl = make_user(Role.KONTAKTCENTERLEDER, username="kcl")
    beredskab = grants.grant(employee.person, Role.BEREDSKABSGRUPPE, by=systemkoordinator)
    with pytest.raises(grants.GrantError):  # not in the contact-centre leader's table
        grants.remove(beredskab, by=kcl)
    own = RoleGrant.objects.get(person=systemkoordinator.person, role=Role.SYSTEMKOORDINATOR)
    with pytest.raises(grants.GrantError):
        grants.remove(own, by=systemkoordinator)
    url = reverse("directory:role_remove", args=[employee.person.pk, beredskab.pk])
    client = client_as(systemkoordinator)
    assert client.post(url, {}).status_code == 400  # the password is asked again
    assert Role.BEREDSKABSGRUPPE in _roles(employee)
    assert client.post(url, {"password": PASSWORD}).status_code == 302
    beredskab.refresh_from_db()
    assert beredskab.status == GrantStatus.REMOVED and beredskab.removed_by == systemkoordinator
    assert Role.BEREDSKABSGRUPPE not in _roles(employee)
    assert not employee.person.roles.filter(name=Role.BEREDSKABSGRUPPE).exists()


def test_granting_asks_for_the_password_again(client_as, systemkoordinator, employee):
    client = client_as(systemkoordinator)
    response = _grant_post(client, employee.person, Role.BEREDSKABSGRUPPE, password="")
    assert response.status_code == 400
    assert response.context["form"].errors["password"]
    response = _grant_post(client, employee.person, Role.BEREDSKABSGRUPPE, password="wrong-one")
    assert response.status_code == 400
    assert not RoleGrant.objects.filter(person=employee.person, is_direct=False).exists()


def test_every_step_is_on_the_timeline_and_told_to_the_person_and_the_admins(
    admin_user, systemkoordinator, second_koordinator, employee
):
    item = grants.grant(employee.person, Role.IT, by=systemkoordinator)
    grants.approve(item, by=second_koordinator)
    grants.remove(item, by=admin_user)
    kinds = [e.kind for e in events_for(employee.person)]
    assert kinds == ["person.role_requested", "person.role_approved", "person.role_removed"]
    for what in ("requested", "approved", "removed"):
        told = set(
            OutboxMessage.objects.filter(
                idempotency_key__startswith=f"rolegrant:{item.pk}:{what}:"
            ).values_list("recipient", flat=True)
        )
        assert told == {employee.person.email, admin_user.person.email}, what


def test_the_pending_page_lists_grants_for_whoever_may_decide(
    client_as, admin_user, systemkoordinator, second_koordinator, employee
):
    item = grants.grant(employee.person, Role.IT, by=systemkoordinator)
    decide_url = reverse("role_grant_decide", args=[item.pk])
    for who, sees in (
        (second_koordinator, True),
        (admin_user, True),
        (systemkoordinator, False),  # the granter
        (employee, False),  # the grantee, who may grant nothing anyway
    ):
        page = client_as(who).get(reverse("pending"))
        assert page.status_code == 200
        assert (decide_url in page.content.decode()) is sees, who
    assert client_as(systemkoordinator).get(decide_url).status_code == 404
    assert client_as(employee).get(decide_url).status_code == 403


def test_the_second_person_approves_on_the_decision_page(
    client_as, systemkoordinator, second_koordinator, employee
):
    item = grants.grant(employee.person, Role.IT, by=systemkoordinator)
    url = reverse("role_grant_decide", args=[item.pk])
    client = client_as(second_koordinator)
    assert client.post(url, {"decision": "approve"}).status_code == 400  # no password
    assert Role.IT not in _roles(employee)
    response = client.post(url, {"decision": "approve", "password": PASSWORD})
    assert response.status_code == 302
    assert Role.IT in _roles(employee)


def test_the_person_page_shows_roles_and_the_grant_form_but_not_for_oneself(
    client_as, systemkoordinator, employee
):
    client = client_as(systemkoordinator)
    page = client.get(reverse("directory:person_detail", args=[employee.person.pk]))
    html = page.content.decode()
    assert reverse("directory:role_grant", args=[employee.person.pk]) in html
    own = client.get(reverse("directory:person_detail", args=[systemkoordinator.person.pk]))
    html = own.content.decode()
    assert reverse("directory:role_grant", args=[systemkoordinator.person.pk]) not in html
    assert "nobody can change their own roles" in html


def test_a_login_linked_later_gets_the_granted_roles(systemkoordinator, db):
    from beredskab.models import Person

    person = Person.objects.create(name="Ny Medarbejder")
    grants.grant(person, Role.BEREDSKABSGRUPPE, by=systemkoordinator)
    login = User.objects.create_user("ny", password=PASSWORD)
    person.user = login
    person.save(update_fields=["user"])
    grants.login_linked(person, actor=systemkoordinator)
    assert _roles(login) == {Role.BEREDSKABSGRUPPE}
