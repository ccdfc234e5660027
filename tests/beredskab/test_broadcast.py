"""Messages to departments and press texts."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from beredskab import broadcast as service
from beredskab.models import (
    Broadcast,
    Department,
    MediaOutlet,
    OutboxMessage,
    PressText,
    TimelineEvent,
)
from beredskab.notify.sms import LocmemBackend
from beredskab.roles import Role
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def clean_sms():
    LocmemBackend.sent.clear()
    yield
    LocmemBackend.sent.clear()


@pytest.fixture
def org(db, department, make_user):
    """department (Jobcenter) under a forvaltning; a sibling unit outside it."""
    sub = Department.objects.create(name="KIS", parent=department)
    other = Department.objects.create(name="Kontaktcenter")
    a = make_user(Role.MEDARBEJDER, username="a").person
    b = make_user(Role.MEDARBEJDER, username="b", department=sub).person
    c = make_user(Role.MEDARBEJDER, username="c", department=other).person
    ext = make_user(Role.EKSTERN_DPO, username="ext", external_organisation="DPO ApS").person
    return {"unit": department, "sub": sub, "other": other, "a": a, "b": b, "c": c, "ext": ext}


@pytest.fixture
def sender(make_user):
    return make_user(Role.MEDARBEJDER, Role.KONTAKTCENTER, username="sender")


def test_it_reaches_the_units_under_a_department_but_no_externals(org):
    staff = set(service.department_staff([org["unit"]], include_subunits=True))
    assert org["a"] in staff and org["b"] in staff
    assert org["c"] not in staff and org["ext"] not in staff
    assert org["b"] not in set(service.department_staff([org["unit"]], include_subunits=False))


def test_it_previews_the_count_then_sends_once_per_nonce(
    org, sender, client_as, django_capture_on_commit_callbacks
):
    client = client_as(sender)
    data = {
        "departments": [org["unit"].pk],
        "include_subunits": "on",
        "by_sms": "on",
        "subject": "Strømsvigt",
        "body": "Gå hjem",
        "nonce": "n-1",
    }
    preview = client.post(reverse("broadcast:new"), {**data, "action": "preview"})
    assert preview.status_code == 200
    assert not OutboxMessage.objects.exists()
    content = preview.content.decode()
    assert "Send 3 messages" in content or "Send 3" in content  # a, b and the sender
    with django_capture_on_commit_callbacks(execute=True):
        sending = {**data, "action": "send", "password": PASSWORD}
        first = client.post(reverse("broadcast:new"), sending)
        second = client.post(reverse("broadcast:new"), sending)
    assert first.status_code == second.status_code == 302
    assert Broadcast.objects.count() == 1
    assert len(LocmemBackend.sent) == 3
    assert {m["to"] for m in LocmemBackend.sent} == {
        str(org["a"].mobile),
        str(org["b"].mobile),
        str(sender.person.mobile),
    }
    assert TimelineEvent.objects.filter(kind="broadcast.sent").count() == 1


def test_it_rejects_a_broadcast_without_channel_or_department(org, sender, client_as):
    response = client_as(sender).post(
        reverse("broadcast:new"), {"subject": "x", "body": "y", "nonce": "n-2", "action": "send"}
    )
    assert response.status_code == 400
    assert not Broadcast.objects.exists()


def test_it_sends_a_press_text_once(org, sender, client_as, django_capture_on_commit_callbacks):
    a = MediaOutlet.objects.create(name="JydskeVestkysten", email="a@example.invalid")
    b = MediaOutlet.objects.create(name="DR Syd", email="b@example.invalid")
    client = client_as(sender)
    response = client.post(
        reverse("broadcast:press_new"),
        {"title": "Nedbrud", "body": "Borgerservice er lukket", "outlets": [a.pk, b.pk]},
    )
    press = PressText.objects.get()
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        url = reverse("broadcast:press_send", args=[press.pk])
        client.post(url, {"password": PASSWORD})
        client.post(url, {"password": PASSWORD})
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.invalid", "b@example.invalid"]
    press.refresh_from_db()
    assert press.sent_to.splitlines() == ["a@example.invalid", "b@example.invalid"]


def test_it_rejects_a_press_text_without_an_outlet(sender, client_as):
    response = client_as(sender).post(reverse("broadcast:press_new"), {"title": "t", "body": "b"})
    assert response.status_code == 400
    assert "outlets" in response.context["form"].errors
    assert not PressText.objects.exists()


@pytest.mark.parametrize("name", ["broadcast:list", "broadcast:new", "broadcast:press_new"])
def test_it_denies_an_employee(name, employee, client_as):
    assert client_as(employee).get(reverse(name)).status_code == 403
