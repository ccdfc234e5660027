"""Password reset (django-allauth): reaches the login by its e-mail address, answers the
same whether or not the address exists, sends by a Celery task, and is rate limited."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from beredskab import tasks


def test_it_sends_the_reset_link_to_the_logins_address(client, employee):
    response = client.post(reverse("password_reset"), {"email": employee.email})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[employee.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


# --- on allauth: found by the login's address, one answer, mail by a task, rate limit ---


@pytest.fixture
def queued(monkeypatch):
    """The account mails handed to the worker, not run (as with a real broker)."""
    calls = []
    monkeypatch.setattr(
        tasks.send_account_mail, "apply_async", lambda *a, **kw: calls.append(kw["kwargs"])
    )
    return calls


def ask(client, email, address="198.51.100.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_it_finds_the_login_by_its_address_in_any_case(client, employee):
    employee.email = "Employee.Mixed@Example.Invalid"
    employee.save()
    assert ask(client, "employee.mixed@example.invalid").status_code == 302
    assert [m.to for m in mail.outbox] == [["employee.mixed@example.invalid"]]


def test_it_finds_the_login_by_its_allauth_address(client, employee):
    EmailAddress.objects.create(user=employee, email="other@example.invalid", primary=True)
    ask(client, "other@example.invalid")
    assert len(mail.outbox) == 1
    assert "employee" in mail.outbox[0].body


def test_it_gives_the_same_answer_whether_or_not_the_address_exists(client, employee, queued):
    known = ask(client, employee.email)
    unknown = ask(client, "nobody@example.invalid")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    page = client.get(known["Location"])
    assert "account/password_reset_done.html" in [t.name for t in page.templates]
    assert len(queued) == 1  # and the stranger's address got nothing


def test_it_hands_the_mail_to_a_task_and_does_not_wait_for_it(client, employee, queued):
    response = ask(client, employee.email)
    assert response.status_code == 302
    assert mail.outbox == []  # nothing sent inside the request
    assert len(queued) == 1
    assert queued[0]["to"] == [employee.email]
    assert "/accounts/password/reset/key/" in queued[0]["body"]


def test_it_sends_the_queued_mail_in_the_worker(employee):
    tasks.send_account_mail(
        subject="Emne", body="Tekst", from_email="a@example.invalid", to=[employee.email]
    )
    assert [m.to for m in mail.outbox] == [[employee.email]]


def test_it_limits_reset_requests_per_address(client, employee, queued):
    for _ in range(3):
        assert ask(client, employee.email).status_code == 302
    response = ask(client, employee.email, address="203.0.113.9")
    assert response.status_code == 429
    assert len(queued) == 3


@pytest.mark.django_db
def test_it_limits_reset_requests_per_client(client, queued):
    statuses = [ask(client, f"nobody{n}@example.invalid").status_code for n in range(21)]
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 429


def test_it_makes_the_link_from_base_url_not_the_host_header(client, employee, settings):
    settings.BASE_URL = "https://beredskab.example.invalid"
    client.post(reverse("password_reset"), {"email": employee.email}, HTTP_HOST="testserver")
    assert "https://beredskab.example.invalid/accounts/password/reset/key/" in mail.outbox[0].body
