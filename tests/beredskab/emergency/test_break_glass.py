"""Break-glass accounts: marked by a management command (on the timeline), always
asked for a second factor, and every login told at once by SMS and e-mail to the admins
and the systemkoordinator (escalation queue, not bulk) and put on the timeline."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from beredskab import breakglass, timeline
from beredskab.models import BreakGlassAccount, OutboxMessage
from beredskab.roles import Role
from tests.conftest import PASSWORD


def test_it_marks_and_unmarks_an_account_by_command(make_user):
    user = make_user(Role.ADMIN, username="noedkonto-9")
    call_command("break_glass", "add", "noedkonto-9", "--label", "Boks B")
    assert breakglass.is_break_glass(user.__class__.objects.get(pk=user.pk))
    assert BreakGlassAccount.objects.get().label == "Boks B"
    call_command("break_glass", "remove", "noedkonto-9")
    assert not breakglass.is_break_glass(user.__class__.objects.get(pk=user.pk))
    kinds = [e.kind for e in timeline.events_for(user.person)]
    assert kinds[-2:] == ["breakglass.added", "breakglass.removed"]
    assert timeline.events_for(user.person).last().actor_text.startswith("manage.py break_glass")


def test_it_refuses_an_unknown_or_doubled_account(make_user):
    make_user(Role.ADMIN, username="noedkonto-9")
    with pytest.raises(CommandError):
        call_command("break_glass", "add", "nobody")
    call_command("break_glass", "add", "noedkonto-9")
    with pytest.raises(CommandError):
        call_command("break_glass", "add", "noedkonto-9")
    with pytest.raises(CommandError):
        call_command("break_glass", "remove", "nobody")


def test_it_is_not_break_glass_for_anyone_else(employee, client):
    from django.contrib.auth.models import AnonymousUser

    assert not breakglass.is_break_glass(employee)
    assert not breakglass.is_break_glass(AnonymousUser())


def log_in(client, username):
    return client.post(reverse("login"), {"login": username, "password": PASSWORD})


def test_it_tells_the_admins_and_the_systemkoordinator_at_once(
    client, make_user, break_glass_admin, systemkoordinator
):
    other_admin = make_user(Role.ADMIN, username="admin-2")
    employee = make_user(Role.MEDARBEJDER, username="bystander")
    response = log_in(client, "noedkonto-1")
    assert response.status_code == 302
    notices = OutboxMessage.objects.filter(group_key__startswith="breakglass-login:")
    told = {(m.channel, m.person_id) for m in notices}
    for person in (systemkoordinator.person, other_admin.person, break_glass_admin.person):
        assert ("sms", person.pk) in told
        assert ("email", person.pk) in told
    assert not notices.filter(person=employee.person).exists()
    assert set(notices.values_list("priority", flat=True)) == {"escalation"}
    sms = notices.filter(channel="sms").first()
    assert "noedkonto-1" in sms.body
    [event] = [
        e for e in timeline.events_for(break_glass_admin.person) if e.kind == "breakglass.login"
    ]
    assert event.data["login"] == "noedkonto-1" and event.data["address"] == "127.0.0.1"


def test_it_tells_nobody_about_an_ordinary_login(client, employee, systemkoordinator):
    assert log_in(client, "employee").status_code == 302
    assert not OutboxMessage.objects.filter(group_key__startswith="breakglass-login:").exists()


@override_settings(ROOT_URLCONF="tests.beredskab.emergency.urls_with_mfa")
def test_it_asks_a_break_glass_account_with_totp_for_the_second_factor(client, break_glass_admin):
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    secret = generate_totp_secret()
    TOTP.activate(break_glass_admin, secret)
    response = log_in(client, "noedkonto-1")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not logged in, and nobody told, until the second factor is given.
    assert "_auth_user_id" not in client.session
    notices = OutboxMessage.objects.filter(group_key__startswith="breakglass-login:")
    assert not notices.exists()
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]
    code = format_hotp_value(hotp_value(secret, counter))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(break_glass_admin.pk)
    assert notices.filter(channel="sms").exists()
