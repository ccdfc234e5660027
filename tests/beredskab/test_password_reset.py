"""Password reset reaches a person through the e-mail address on their Person."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse


def test_it_copies_the_persons_email_to_the_login(employee):
    assert employee.email == employee.person.email


def test_it_sends_the_reset_link_to_the_persons_address(client, employee):
    response = client.post(reverse("password_reset"), {"email": employee.person.email})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[employee.person.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
