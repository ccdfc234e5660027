"""The first second factor is bound only after a one-time code sent by SMS to the
person's mobile in the directory (beredskab/enrolment.py): through the outbox, hashed at
rest, single use, valid 10 minutes, rate-limited; then allauth.mfa's TOTP page with the
QR code rendered on the server."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone

from beredskab import reauth, timeline
from beredskab.models import EnrolmentCode, OutboxMessage
from beredskab.roles import Role
from tests.beredskab.mfa_support import format_hotp_value, hotp_value
from tests.beredskab.mfa_support import yield_hotp_counters_from_time as counters


@pytest.fixture(autouse=True)
def _required(settings):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = True


def send(client):
    return client.post(reverse("mfa_enrol"), {"action": "send"})


def sent_code(person) -> str:
    message = OutboxMessage.objects.filter(channel="sms", person=person).latest("pk")
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def check(client, code):
    return client.post(reverse("mfa_enrol"), {"action": "check", "code": code})


def test_it_refuses_to_bind_a_factor_before_the_sms_code(client_as, systemkoordinator):
    client = client_as(systemkoordinator)
    for name in ("mfa_activate_totp", "mfa_add_webauthn"):
        response = client.get(reverse(name))
        # Re-authentication first (outside the window), then the SMS code.
        assert response.status_code == 302, name
    session = client.session
    session[reauth.SESSION_KEY] = timezone.now().isoformat()
    session.save()
    for name in ("mfa_activate_totp", "mfa_add_webauthn"):
        response = client.get(reverse(name))
        assert response["Location"] == reverse("mfa_enrol"), name
    assert not Authenticator.objects.filter(user=systemkoordinator).exists()


def test_it_sends_the_code_by_sms_through_the_outbox_and_keeps_only_a_hash(
    client_as, systemkoordinator
):
    client = client_as(systemkoordinator)
    response = send(client)
    assert response.status_code == 302
    person = systemkoordinator.person
    message = OutboxMessage.objects.get(channel="sms", person=person)
    assert message.recipient == str(person.mobile)
    code = sent_code(person)
    row = EnrolmentCode.objects.get(user=systemkoordinator)
    assert code not in row.digest
    assert row.expires_at - row.created_at <= timedelta(minutes=10, seconds=1)


def test_it_opens_enrolment_with_the_right_code_and_binds_a_totp(
    client_as, systemkoordinator, django_capture_on_commit_callbacks
):
    client = client_as(systemkoordinator)
    send(client)
    code = sent_code(systemkoordinator.person)
    response = check(client, code)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    # The code's text is gone from the outbox once used.
    assert code not in "".join(OutboxMessage.objects.values_list("body", flat=True))
    # A fresh login: within the re-authentication window.
    session = client.session
    session[reauth.SESSION_KEY] = timezone.now().isoformat()
    session.save()
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "data:image/svg+xml;base64," in html  # the QR code, rendered on the server
    secret = page.context["form"].secret
    totp = format_hotp_value(hotp_value(secret, next(counters())))
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("mfa_activate_totp"), {"code": totp})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=systemkoordinator, type="totp").exists()
    kinds = [e.kind for e in timeline.events_for(systemkoordinator.person)]
    assert "mfa.factor_added" in kinds
    # Now the portal opens.
    assert client.get(reverse("home")).status_code == 200


def test_it_refuses_a_wrong_code_with_400_in_danish(client_as, systemkoordinator):
    client = client_as(systemkoordinator)
    send(client)
    code = sent_code(systemkoordinator.person)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = check(client, wrong)
    assert response.status_code == 400
    assert "Koden er ikke rigtig" in response.content.decode()
    assert client.get(reverse("mfa_activate_totp")).status_code == 302


def test_it_refuses_a_code_used_twice(client_as, client, systemkoordinator):
    client = client_as(systemkoordinator)
    send(client)
    code = sent_code(systemkoordinator.person)
    assert check(client, code).status_code == 302
    session = client.session
    session.pop("_beredskab_enrol_sms_at")
    session.save()
    response = check(client, code)
    assert response.status_code == 400
    assert "allerede brugt" in response.content.decode()


def test_it_refuses_an_expired_code(client_as, systemkoordinator):
    client = client_as(systemkoordinator)
    send(client)
    code = sent_code(systemkoordinator.person)
    EnrolmentCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = check(client, code)
    assert response.status_code == 400
    assert "udløbet" in response.content.decode()


def test_it_spends_a_code_after_five_wrong_tries(client_as, systemkoordinator):
    client = client_as(systemkoordinator)
    send(client)
    code = sent_code(systemkoordinator.person)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        check(client, wrong)
    assert check(client, code).status_code == 400


def test_it_limits_code_requests_per_hour(client_as, systemkoordinator):
    client = client_as(systemkoordinator)
    for _ in range(3):
        assert send(client).status_code == 302
    response = send(client)
    assert response.status_code == 429
    assert EnrolmentCode.objects.filter(user=systemkoordinator).count() == 3


def test_it_accepts_only_the_newest_code(client_as, systemkoordinator):
    client = client_as(systemkoordinator)
    send(client)
    first = sent_code(systemkoordinator.person)
    send(client)
    second = sent_code(systemkoordinator.person)
    if first != second:
        assert check(client, first).status_code == 400
    assert check(client, second).status_code == 302


def test_it_tells_a_person_without_a_mobile_whom_to_ask(client_as, make_user):
    user = make_user(Role.SYSTEMKOORDINATOR)
    user.person.mobile = ""
    user.person.save()
    client = client_as(user)
    page = client.get(reverse("mfa_enrol"))
    assert "systemkoordinator" in page.content.decode()
    assert send(client).status_code == 400
    assert not EnrolmentCode.objects.exists()


def test_it_counts_wrong_sms_codes_toward_the_login_lockout(client_as, client, systemkoordinator):
    client = client_as(systemkoordinator)
    for _ in range(2):
        send(client)
        code = sent_code(systemkoordinator.person)
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        for _ in range(3):
            check(client, wrong)
    send(client)
    response = check(client, sent_code(systemkoordinator.person))
    assert response.status_code == 400
    assert "for mange" in response.content.decode().lower()
