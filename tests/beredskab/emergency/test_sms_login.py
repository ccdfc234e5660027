"""Sign-in by SMS code in the emergency mode: only while it is on, one answer for
everyone, codes single use, valid 10 minutes, kept hashed, rate-limited, and every
wrong code counted toward the login's lock-out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from beredskab import emergency, timeline
from beredskab.models import OutboxMessage, SmsCode
from beredskab.roles import Role
from tests.beredskab.emergency.support import ask_for_code, enter_code, last_code_for
from tests.conftest import PASSWORD

WRONG = "Koden er forkert, udløbet eller allerede brugt"


def logged_in_as(client, user) -> bool:
    return str(client.session.get(SESSION_KEY)) == str(user.pk)


def test_it_has_no_sms_login_page_when_the_mode_is_off(client, employee):
    assert client.get(reverse("sms_login")).status_code == 404
    assert ask_for_code(client, "employee").status_code == 404
    assert client.get(reverse("sms_login_code")).status_code == 404
    assert not OutboxMessage.objects.exists()
    assert reverse("sms_login") not in client.get(reverse("login")).content.decode()


def test_it_links_the_sms_login_from_the_login_page_only_while_on(client, mode_on):
    page = client.get(reverse("login")).content.decode()
    assert reverse("sms_login") in page
    assert "Log ind med SMS-kode" in page
    emergency.switch_off(by="test")
    assert reverse("sms_login") not in client.get(reverse("login")).content.decode()


def test_it_signs_in_with_the_code_from_the_sms(client, employee, mode_on):
    response = ask_for_code(client, "employee")
    assert response.status_code == 302
    assert response["Location"] == reverse("sms_login_code")
    sms = OutboxMessage.objects.get(person__user=employee, channel="sms")
    assert sms.recipient == str(employee.person.mobile)  # the directory's mobile
    assert sms.priority == "escalation"
    response = enter_code(client, last_code_for(employee))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_as(client, employee)
    assert client.get(reverse("incidents:report")).status_code == 200


def test_it_signs_in_by_mobile_number(client, employee, mode_on):
    mobile = str(employee.person.mobile)
    assert ask_for_code(client, mobile[3:]).status_code == 302  # as typed, without +45
    enter_code(client, last_code_for(employee))
    assert logged_in_as(client, employee)


def test_it_puts_every_login_in_the_mode_on_the_timeline(client, employee, leader, mode_on):
    ask_for_code(client, "employee")
    enter_code(client, last_code_for(employee))
    other = client.__class__()
    other.post(reverse("login"), {"login": "leader", "password": PASSWORD})
    events = [e for e in timeline.events_for(mode_on) if e.kind == "emergency.login"]
    assert [(e.data["login"], e.data["method"]) for e in events] == [
        ("employee", "sms"),
        ("leader", "password"),
    ]
    assert events[0].actor_id == employee.pk


def test_it_refuses_a_wrong_code_with_a_danish_page(client, employee, mode_on):
    ask_for_code(client, "employee")
    right = last_code_for(employee)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = enter_code(client, wrong)
    assert response.status_code == 400
    assert WRONG in response.content.decode()
    assert not logged_in_as(client, employee)


def test_it_refuses_something_that_is_not_six_digits(client, employee, mode_on):
    ask_for_code(client, "employee")
    response = enter_code(client, "12ab")
    assert response.status_code == 400
    assert "Koden er seks cifre" in response.content.decode()


def test_it_refuses_an_expired_code(client, employee, mode_on):
    ask_for_code(client, "employee")
    code = last_code_for(employee)
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = enter_code(client, code)
    assert response.status_code == 400
    assert WRONG in response.content.decode()
    assert not logged_in_as(client, employee)


def test_it_keeps_a_code_for_ten_minutes(client, employee, mode_on, settings):
    assert settings.SMS_LOGIN_CODE_MINUTES == 10
    ask_for_code(client, "employee")
    row = SmsCode.objects.get()
    assert (
        timedelta(minutes=9, seconds=59) < row.expires_at - row.created_at <= timedelta(minutes=10)
    )


def test_it_refuses_a_code_used_twice(client, employee, mode_on):
    ask_for_code(client, "employee")
    code = last_code_for(employee)
    enter_code(client, code)
    assert logged_in_as(client, employee)
    again = client.__class__()
    again.post(reverse("sms_login"), {"identifier": "employee"})
    # A second request would send a new code; the old one stays spent.
    response = again.post(reverse("sms_login_code"), {"code": code})
    assert response.status_code == 400
    assert WRONG in response.content.decode()


def test_it_refuses_an_older_code_once_a_new_one_is_sent(client, employee, mode_on):
    ask_for_code(client, "employee")
    first = last_code_for(employee)
    ask_for_code(client, "employee")
    second = last_code_for(employee)
    if first != second:
        assert enter_code(client, first).status_code == 400
    assert enter_code(client, second).status_code == 302


def test_it_refuses_a_burst_of_requests_with_a_danish_page(client, employee, mode_on, settings):
    settings.SMS_LOGIN_CODE_MAX_PER_USER = 3
    for _ in range(3):
        assert ask_for_code(client, "employee").status_code == 302
    response = ask_for_code(client, "employee")
    assert response.status_code == 429
    assert "For mange koder" in response.content.decode()
    assert OutboxMessage.objects.filter(channel="sms").count() == 3


def test_it_limits_requests_per_address(client, make_user, mode_on, settings):
    settings.SMS_LOGIN_CODE_MAX_PER_ADDRESS = 2
    for n in range(2):
        make_user(Role.MEDARBEJDER, username=f"person-{n}")
        assert ask_for_code(client, f"person-{n}").status_code == 302
    make_user(Role.MEDARBEJDER, username="person-9")
    assert ask_for_code(client, "person-9").status_code == 429
    # Another address is not held back.
    assert ask_for_code(client, "person-9", REMOTE_ADDR="203.0.113.9").status_code == 302


def test_it_answers_the_same_for_a_username_nobody_has(client, employee, mode_on, settings):
    known = ask_for_code(client, "employee")
    unknown = client.__class__().post(reverse("sms_login"), {"identifier": "nobody-here"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert OutboxMessage.objects.filter(channel="sms").count() == 1
    # ... and is limited alike, so the limit does not tell either.
    settings.SMS_LOGIN_CODE_MAX_PER_USER = 1
    assert (
        client.__class__().post(reverse("sms_login"), {"identifier": "nobody-here"}).status_code
        == 429
    )


def test_it_sends_no_code_to_an_inactive_person_or_one_without_a_mobile(client, make_user, mode_on):
    gone = make_user(Role.MEDARBEJDER, username="gone")
    gone.person.is_active = False
    gone.person.save()
    silent = make_user(Role.MEDARBEJDER, username="silent")
    silent.person.mobile = ""
    silent.person.save()
    assert ask_for_code(client, "gone").status_code == 302
    assert ask_for_code(client, "silent").status_code == 302
    assert not OutboxMessage.objects.exists()


def test_it_keeps_only_a_hash_of_the_code(client, employee, mode_on):
    ask_for_code(client, "employee")
    code = last_code_for(employee)
    row = SmsCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) >= 64


def test_it_forgets_the_code_in_the_outbox_once_used(client, employee, mode_on):
    ask_for_code(client, "employee")
    message = OutboxMessage.objects.get(channel="sms")
    code = last_code_for(employee)
    OutboxMessage.objects.filter(pk=message.pk).update(status="delivered")
    enter_code(client, code)
    message.refresh_from_db()
    assert code not in message.body and message.purged


def test_it_counts_wrong_codes_toward_the_lock_out(client, employee, mode_on, settings):
    settings.SMS_LOGIN_CODE_MAX_ATTEMPTS = 50  # only the lock-out stops it here
    ask_for_code(client, "employee")
    right = last_code_for(employee)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    enter_code(client, wrong)
    assert AccessAttempt.objects.get(username="employee").failures_since_start == 1
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        enter_code(client, wrong)
    response = enter_code(client, right)
    assert response.status_code == 429
    assert not logged_in_as(client, employee)
    # The same lock-out as the password login (username and address).
    locked = client.__class__().post(reverse("login"), {"login": "employee", "password": PASSWORD})
    assert locked.status_code == 429


def test_it_spends_a_code_after_too_many_wrong_tries(client, employee, mode_on, settings):
    settings.SMS_LOGIN_CODE_MAX_ATTEMPTS = 2
    settings.AXES_FAILURE_LIMIT = 50
    ask_for_code(client, "employee")
    right = last_code_for(employee)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    enter_code(client, wrong)
    enter_code(client, wrong)
    assert enter_code(client, right).status_code == 400


def test_it_ends_sms_sessions_when_the_mode_ends(client, employee, mode_on):
    ask_for_code(client, "employee")
    enter_code(client, last_code_for(employee))
    assert client.get(reverse("home")).status_code == 200
    emergency.switch_off(by="test")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_ends_sms_sessions_when_the_mode_runs_out(client, employee, mode_on):
    ask_for_code(client, "employee")
    enter_code(client, last_code_for(employee))
    type(mode_on).objects.filter(pk=mode_on.pk).update(ends_at=timezone.now())
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("name", ["sms_login", "sms_login_code"])
def test_it_refuses_other_methods(client, mode_on, name):
    assert client.put(reverse(name)).status_code == 405


def test_it_forgets_expired_codes_in_the_outbox_and_old_rows(client, employee, mode_on):
    from beredskab.tasks import purge_sms_codes

    ask_for_code(client, "employee")
    code = last_code_for(employee)
    OutboxMessage.objects.update(status="delivered")
    purge_sms_codes(timezone.now())
    assert code in OutboxMessage.objects.get().body  # still valid: kept
    later = timezone.now() + timedelta(minutes=11)
    purge_sms_codes(later)
    assert code not in OutboxMessage.objects.get().body
    assert SmsCode.objects.count() == 1
    purge_sms_codes(timezone.now() + timedelta(days=1, minutes=1))
    assert not SmsCode.objects.exists()
