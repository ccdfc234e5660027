"""Any employee may declare themselves reachable (how, which number, until when) from
their own page, and the contact centre sees the list (issue 21). The unattended voice
line still dials only the centre's agents."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactcenter import voice
from contactcenter.models import Reachability
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def declare(client, **extra):
    data = {"where": "home", "how": "mobile", "number": "20 11 22 33", "password": PASSWORD}
    return client.post(reverse("contactcenter:reachable_me"), {**data, **extra})


def test_an_employee_declares_how_which_number_and_until_when(client_as, employee, agent):
    client = client_as(employee)
    board = client.get(reverse("contactcenter:index")).content.decode()
    assert reverse("contactcenter:reachable_me") in board  # the way to their own page
    until = timezone.localtime() + timedelta(hours=3)
    response = declare(client, how="teams", until=until.strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 302
    mine = Reachability.objects.get(person=employee.person)
    assert mine.how == "teams"
    assert mine.number.as_e164 == "+4520112233"
    assert abs(mine.expires_at - until.replace(second=0, microsecond=0)) < timedelta(minutes=1)
    # The contact centre sees them on the list, with number and time.
    page = client_as(agent).get(reverse("contactcenter:reachable_list")).content.decode()
    assert employee.person.name in page
    assert "20 11 22 33" in page


def test_until_is_capped_at_the_configured_hours(client_as, employee, settings):
    settings.CONTACT_REACHABLE_HOURS = 12
    too_late = timezone.localtime() + timedelta(hours=48)
    response = declare(client_as(employee), until=too_late.strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 400
    assert not Reachability.objects.exists()
    past = timezone.localtime() - timedelta(hours=1)
    assert declare(client_as(employee), until=past.strftime("%Y-%m-%dT%H:%M")).status_code == 400


def test_the_model_never_keeps_anyone_longer_than_the_setting(employee, settings):
    settings.CONTACT_REACHABLE_HOURS = 4
    now = timezone.now()
    row = Reachability.declare(
        employee.person,
        where="home",
        how="mobile",
        number="+4520112233",
        actor=employee,
        now=now,
        until=now + timedelta(days=3),
    )
    assert row.expires_at == now + timedelta(hours=4)


def test_the_voice_line_dials_only_agents(employee, agent):
    now = timezone.now()
    Reachability.declare(
        employee.person,
        where="home",
        how="mobile",
        number="+4520112233",
        actor=employee,
        now=now - timedelta(minutes=5),
    )
    assert voice.first_reachable_number(now) is None
    Reachability.declare(
        agent.person, where="home", how="mobile", number="+4520445566", actor=agent, now=now
    )
    assert voice.first_reachable_number(now) == "+4520445566"
