"""Issue 22, the hold on mass deactivation: a provisioning batch that would deactivate
more than SCIM_DEACTIVATION_HOLD_SHARE of the active people (and more than
SCIM_DEACTIVATION_HOLD_MIN) waits for an admin on "Afventer godkendelse"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beredskab.models import EscalationChain, Person, ScimDeactivation
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
    chain = EscalationChain.objects.create(name="Brud", event_kind="breach")
    step = chain.steps.create(position=1, name="Ledelsen")
    step.notify_people.add(*people)
    batch = people[:9]  # 30 %

    for person in batch:
        response = scim.patch(
            f"/Users/{person.pk}", {"op": "replace", "path": "active", "value": False}
        )
        assert response.status_code == 200

    # Nothing has changed: the five that went through before the batch crossed the
    # limit are taken back, everyone is active and still in the chain step.
    assert Person.objects.filter(pk__in=[p.pk for p in batch], is_active=False).count() == 0
    assert set(step.notify_people.values_list("pk", flat=True)) == {p.pk for p in people}
    assert ScimDeactivation.objects.filter(state="held").count() == 9
    assert not ScimDeactivation.objects.filter(state="applied").exists()
    for person in batch:
        assert [e.kind for e in events_for(person)][-1] == "person.deactivation_held"
    undone = [e for p in batch[:5] for e in events_for(p).filter(kind="person.deactivation_held")]
    assert all(e.data == {"undone": True, "steps_back": [step.pk]} for e in undone)
    # Their logins stay closed: only an operator opens a login again.
    assert all(
        not p.user.is_active
        for p in Person.objects.filter(pk__in=[p.pk for p in batch[:5]])
        if p.user
    )
    # A DELETE in the same batch is held too, and the user stays visible to SCIM.
    assert scim.delete(f"/Users/{people[20].pk}").status_code == 204
    assert scim.get(f"/Users/{people[20].pk}").json()["active"] is True
    items = pending_for(admin)
    assert [i.url for i in items] == [reverse("scim_held")]
    assert "10 people" in items[0].title

    client = client_as(admin)
    page = client.get(reverse("scim_held"))
    assert page.status_code == 200
    assert page.content.decode().count("login closed") == sum(
        1 for p in batch[:5] if Person.objects.get(pk=p.pk).user_id
    )
    response = client.post(reverse("scim_held"), {"decision": "approve", "password": PASSWORD})

    assert response.status_code == 302
    gone = batch + [people[20]]
    assert not Person.objects.filter(pk__in=[p.pk for p in gone], is_active=True).exists()
    assert step.notify_people.filter(pk__in=[p.pk for p in gone]).count() == 0
    assert scim.get(f"/Users/{people[20].pk}").status_code == 404
    assert not ScimDeactivation.objects.filter(state="held").exists()
    assert pending_for(admin) == []


def test_a_delete_taken_back_by_the_hold_is_visible_to_scim_again(scim):
    people = _people(scim, 12)
    assert scim.delete(f"/Users/{people[0].pk}").status_code == 204
    assert scim.get(f"/Users/{people[0].pk}").status_code == 404
    for person in people[1:6]:
        scim.patch(f"/Users/{person.pk}", {"op": "replace", "path": "active", "value": False})
    body = scim.get(f"/Users/{people[0].pk}").json()
    assert body["active"] is True
    assert body["userName"] == "p0@kommune.dk"


def test_a_refused_batch_leaves_everyone_active(scim, make_user, client_as):
    admin = make_user(Role.ADMIN, username="admin")
    people = _people(scim, 12)
    for person in people[:7]:
        scim.patch(f"/Users/{person.pk}", {"op": "replace", "path": "active", "value": False})
    client = client_as(admin)
    client.post(reverse("scim_held"), {"decision": "refuse", "password": PASSWORD})
    assert Person.objects.filter(pk__in=[p.pk for p in people], is_active=True).count() == 12
    assert set(ScimDeactivation.objects.values_list("state", flat=True)) == {"refused"}


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


def test_concurrent_deactivations_past_the_limit_are_all_held(postgres, transactional_db):
    """Eight deactivations at once against a limit of five: whichever order PostgreSQL
    gives them, the batch crosses once and ends held whole, with nobody deactivated."""
    import threading

    from django.db import connection

    scim = Scim(Client(), make_token("entra-id"))
    people = _people(scim, 12)
    token = scim.token
    barrier = threading.Barrier(8)
    statuses = []

    def work(person_pk: int) -> None:
        try:
            client = Scim(Client(), token)
            barrier.wait(timeout=10)
            response = client.patch(
                f"/Users/{person_pk}", {"op": "replace", "path": "active", "value": False}
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(p.pk,)) for p in people[:8]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [200] * 8
    assert ScimDeactivation.objects.filter(state="held").count() == 8
    assert Person.objects.filter(is_active=False).count() == 0
