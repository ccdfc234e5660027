"""Password reset reaches a login through the login's own e-mail address."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse


def test_it_sends_the_reset_link_to_the_logins_address(client, employee):
    response = client.post(reverse("password_reset"), {"email": employee.email})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[employee.email]]
    assert "/accounts/reset/" in mail.outbox[0].body
