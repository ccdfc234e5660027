"""The emergency mode's switch: only a break-glass admin switches it on, for 1 to
EMERGENCY_MODE_MAX_HOURS hours, after re-authentication; anyone with the page may switch
it off early; both on the timeline, and the banner shows the mode to everyone."""

from __future__ import annotations

from django.urls import reverse

from beredskab import emergency, timeline
from beredskab.models import EmergencyPeriod
from beredskab.roles import Role
from tests.conftest import PASSWORD

URL = "emergency_mode"


def switch_on(client, hours="4", reason="Entra ID er nede", password=PASSWORD):
    data = {"action": "on", "hours": hours, "reason": reason, "password": password}
    return client.post(reverse(URL), data)


def test_it_lets_a_break_glass_admin_switch_it_on_after_reauthentication(
    client_as, break_glass_admin
):
    client = client_as(break_glass_admin)
    page = client.get(reverse(URL))
    assert page.status_code == 200
    assert 'name="hours"' in page.content.decode()
    assert "Slå nødtilstanden til" in page.content.decode()
    response = switch_on(client, password="")
    assert response.status_code == 400
    assert not emergency.is_on()
    response = switch_on(client)
    assert response.status_code == 302
    period = emergency.current()
    assert period is not None
    assert 3.9 < (period.ends_at - period.starts_at).total_seconds() / 3600 <= 4
    [event] = timeline.events_for(period)
    assert event.kind == "emergency.on"
    assert event.actor_id == break_glass_admin.pk
    assert event.data["hours"] == 4 and event.data["reason"] == "Entra ID er nede"


def test_it_refuses_a_wrong_password(client_as, break_glass_admin):
    response = switch_on(client_as(break_glass_admin), password="not-it")
    assert response.status_code == 400
    assert not emergency.is_on()


def test_it_refuses_an_admin_who_is_not_break_glass(client_as, make_user):
    admin = make_user(Role.ADMIN, username="ordinary-admin")
    client = client_as(admin)
    page = client.get(reverse(URL))
    assert page.status_code == 200
    assert 'name="hours"' not in page.content.decode()
    assert switch_on(client).status_code == 403
    assert not EmergencyPeriod.objects.exists()


def test_it_refuses_a_break_glass_account_without_the_admin_role(client_as, make_user):
    from beredskab import breakglass

    user = make_user(Role.MEDARBEJDER, username="noedkonto-2")
    breakglass.add(user.username, actor="test")
    client = client_as(user)
    assert client.get(reverse(URL)).status_code == 403
    assert switch_on(client).status_code == 403
    assert not EmergencyPeriod.objects.exists()


def test_it_refuses_an_employee_and_a_leader(client_as, employee, leader):
    for user in (employee, leader):
        client = client_as(user)
        assert client.get(reverse(URL)).status_code == 403
        assert switch_on(client).status_code == 403
    assert not EmergencyPeriod.objects.exists()


def test_it_refuses_hours_out_of_range_with_a_danish_message(
    client_as, break_glass_admin, settings
):
    client = client_as(break_glass_admin)
    too_many = switch_on(client, hours=str(settings.EMERGENCY_MODE_MAX_HOURS + 1))
    assert too_many.status_code == 400
    assert "Højst 72 timer" in too_many.content.decode()
    none = switch_on(client, hours="0")
    assert none.status_code == 400
    assert "Mindst 1 time" in none.content.decode()
    assert switch_on(client, hours="", reason="").status_code == 400
    assert not EmergencyPeriod.objects.exists()


def test_it_switches_off_early_on_the_timeline(client_as, make_user, mode_on):
    admin = make_user(Role.ADMIN, username="ordinary-admin")
    page = client_as(admin).get(reverse(URL)).content.decode()
    assert "Slå fra nu" in page and "Entra ID er nede" in page
    response = client_as(admin).post(reverse(URL), {"action": "off"})
    assert response.status_code == 302
    assert not emergency.is_on()
    mode_on.refresh_from_db()
    assert mode_on.ended_at is not None
    kinds = [e.kind for e in timeline.events_for(mode_on)]
    # (The admin's own login, in the mode, is on it too.)
    assert [k for k in kinds if k != "emergency.login"] == ["emergency.on", "emergency.off"]


def test_it_refuses_a_second_period_while_one_is_on(client_as, break_glass_admin, mode_on):
    response = switch_on(client_as(break_glass_admin))
    assert response.status_code == 400
    assert EmergencyPeriod.objects.count() == 1


def test_it_ends_by_itself(mode_on):
    from datetime import timedelta

    assert emergency.is_on()
    assert not emergency.is_on(mode_on.ends_at)
    assert emergency.is_on(mode_on.ends_at - timedelta(seconds=1))


def test_it_shows_the_banner_to_everyone(client, client_as, employee, mode_on):
    banner = 'class="banner-emergency"'
    assert banner in client.get(reverse("login")).content.decode()
    assert banner in client_as(employee).get(reverse("home")).content.decode()
    emergency.switch_off(by="test")
    assert banner not in client_as(employee).get(reverse("home")).content.decode()
