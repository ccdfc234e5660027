"""A login's e-mail address (where reset links go) changes only by its owner after
re-entering the password; the OLD address is told, and the change is on the person's
timeline (field names only: the addresses are personal data)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from beredskab import timeline
from beredskab.models import OutboxMessage
from tests.conftest import PASSWORD

NEW = "new-address@example.invalid"


def change(client, email=NEW, password=PASSWORD, **extra):
    data = {"email": email}
    if password is not None:
        data["password"] = password
    return client.post(reverse("email_change"), data, **extra)


def test_it_changes_the_address_and_tells_the_old_one(client_as, employee):
    old = employee.email
    response = change(client_as(employee))
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.email == NEW
    assert EmailAddress.objects.get(user=employee, primary=True).email == NEW
    notice = OutboxMessage.objects.get(channel="email")
    assert notice.recipient == old
    assert "employee" in notice.body
    event = [e for e in timeline.events_for(employee.person) if e.kind == "login.email_changed"]
    assert len(event) == 1
    assert event[0].actor_id == employee.pk
    assert old not in str(event[0].data) and NEW not in str(event[0].data)


def test_it_needs_the_password(client_as, employee):
    old = employee.email
    response = change(client_as(employee), password=None)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    employee.refresh_from_db()
    assert employee.email == old
    assert not OutboxMessage.objects.exists()


def test_it_counts_wrong_passwords_toward_the_login_lockout(client_as, employee):
    client = client_as(employee)
    statuses = [change(client, password="wrong").status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    assert change(client).status_code == 429
    employee.refresh_from_db()
    assert employee.email != NEW


def test_it_refuses_the_address_it_already_has(client_as, employee):
    assert change(client_as(employee), email=employee.email.upper()).status_code == 400
    assert not OutboxMessage.objects.exists()


def test_it_sends_reset_links_to_the_new_address_only(client_as, client, employee):
    old = employee.email
    change(client_as(employee))
    client.logout()
    client.post(reverse("password_reset"), {"email": old})
    assert mail.outbox == []
    client.post(reverse("password_reset"), {"email": NEW})
    assert [m.to for m in mail.outbox] == [[NEW]]


def test_it_needs_a_login(client):
    response = client.get(reverse("email_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
