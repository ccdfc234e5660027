"""Issue 22, the hold on mass deactivation: a provisioning batch that would deactivate
more than SCIM_DEACTIVATION_HOLD_SHARE of the active people (and more than
SCIM_DEACTIVATION_HOLD_MIN) waits for an admin on "Afventer godkendelse"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beredskab.models import Person, ScimDeactivation
from beredskab.pending import pending_for
from beredskab.roles import Role
from beredskab.timeline import events_for
from tests.beredskab.scim_support import Scim, make_token
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.SCIM_DEACTIVATION_HOLD_SHARE = 0.10
    settings.SCIM_DEACTIVATION_HOLD_MIN = 5


@pytest.fixture
def scim(db):
    return Scim(Client(), make_token("entra-id"))


def _people(scim, count: int) -> list[Person]:
    return [
        Person.objects.get(pk=scim.create_user(f"p{n}@kommune.dk", mobile=f"2198{n:04d}")["id"])
        for n in range(count)
    ]


def test_a_batch_deactivating_30_percent_is_held_until_an_admin_confirms(
    scim, make_user, client_as
):
    admin = make_user(Role.ADMIN, username="admin")
    people = _people(scim, 30)  # with the admin: 31 active, the limit is max(3, 5) = 5
    batch = people[:9]  # 30 %

    for person in batch:
        response = scim.patch(
            f"/Users/{person.pk}", {"op": "replace", "path": "active", "value": False}
        )
        assert response.status_code == 200

    assert Person.objects.filter(pk__in=[p.pk for p in batch], is_active=False).count() == 5
    held = [p for p in batch[5:]]
    assert Person.objects.filter(pk__in=[p.pk for p in held], is_active=True).count() == 4
    for person in held:
        assert [e.kind for e in events_for(person)][-1] == "person.deactivation_held"
    # A DELETE in the same batch is held too, and the user stays visible to SCIM.
    assert scim.delete(f"/Users/{people[20].pk}").status_code == 204
    assert scim.get(f"/Users/{people[20].pk}").json()["active"] is True
    items = pending_for(admin)
    assert [i.url for i in items] == [reverse("scim_held")]
    assert "5 people" in items[0].title

    client = client_as(admin)
    assert client.get(reverse("scim_held")).status_code == 200
    response = client.post(reverse("scim_held"), {"decision": "approve", "password": PASSWORD})

    assert response.status_code == 302
    assert not Person.objects.filter(
        pk__in=[p.pk for p in held + [people[20]]], is_active=True
    ).exists()
    assert not ScimDeactivation.objects.filter(state="held").exists()
    assert pending_for(admin) == []


def test_a_refused_batch_leaves_everyone_active(scim, make_user, client_as):
    admin = make_user(Role.ADMIN, username="admin")
    people = _people(scim, 12)
    for person in people[:7]:
        scim.patch(f"/Users/{person.pk}", {"op": "replace", "path": "active", "value": False})
    client = client_as(admin)
    client.post(reverse("scim_held"), {"decision": "refuse", "password": PASSWORD})
    assert Person.objects.filter(pk__in=[p.pk for p in people[5:7]], is_active=True).count() == 2


def test_a_single_leaver_is_deactivated_at_once(scim):
    people = _people(scim, 6)
    scim.patch(f"/Users/{people[0].pk}", {"op": "replace", "path": "active", "value": False})
    people[0].refresh_from_db()
    assert people[0].is_active is False


def test_deactivations_outside_the_window_are_another_batch(scim, settings):
    people = _people(scim, 12)
    for person in people[:5]:
        scim.patch(f"/Users/{person.pk}", {"op": "replace", "path": "active", "value": False})
    earlier = timezone.now() - timedelta(minutes=settings.SCIM_BATCH_WINDOW_MINUTES + 1)
    ScimDeactivation.objects.update(requested_at=earlier)
    scim.patch(f"/Users/{people[6].pk}", {"op": "replace", "path": "active", "value": False})
    people[6].refresh_from_db()
    assert people[6].is_active is False


def test_only_an_admin_decides_held_deactivations(scim, systemkoordinator, client_as):
    people = _people(scim, 8)
    for person in people[:6]:
        scim.patch(f"/Users/{person.pk}", {"op": "replace", "path": "active", "value": False})
    client = client_as(systemkoordinator)
    assert (
        client.post(reverse("scim_held"), {"decision": "approve", "password": PASSWORD}).status_code
        == 403
    )
    assert pending_for(systemkoordinator) == []
    people[5].refresh_from_db()
    assert people[5].is_active is True
