from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from beredskab import timeline
from contactcenter.models import Reachability
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
DECLARE = {"where": "hotspot", "how": "mobile", "number": "20 11 22 33"}
# The form: the number the voice line forwards to is set after re-authenticating.
POSTED = {**DECLARE, "password": PASSWORD}


def test_it_lets_an_agent_declare_themselves_reachable(client_as, agent):
    response = client_as(agent).post(reverse("contactcenter:reachable_me"), POSTED)
    assert response.status_code == 302
    mine = Reachability.objects.get(person=agent.person)
    assert mine.number.as_e164 == "+4520112233"
    assert mine.is_current()
    assert timeline.events_for(mine).last().kind == "reachability.declared"


def test_it_refuses_a_bad_number_at_the_field_and_saves_nothing(client_as, agent):
    response = client_as(agent).post(
        reverse("contactcenter:reachable_me"), {**POSTED, "number": "ring mig"}
    )
    assert response.status_code == 400
    assert "valid phone number" in response.content.decode()
    assert not Reachability.objects.exists()


def test_it_expires_after_the_configured_hours_unless_renewed(agent, settings):
    settings.CONTACT_REACHABLE_HOURS = 4
    start = timezone.now()
    Reachability.declare(agent.person, actor=agent, now=start, **DECLARE)
    later = start + timedelta(hours=3)
    assert Reachability.objects.current(later).count() == 1
    assert Reachability.objects.current(start + timedelta(hours=4, seconds=1)).count() == 0
    Reachability.declare(agent.person, actor=agent, now=later, **DECLARE)
    assert Reachability.objects.current(start + timedelta(hours=6)).count() == 1
    assert timeline.events_for(Reachability.objects.get()).last().kind == "reachability.renewed"


def test_it_takes_an_agent_off_the_list(client_as, agent):
    client = client_as(agent)
    client.post(reverse("contactcenter:reachable_me"), POSTED)
    client.post(reverse("contactcenter:reachable_withdraw"))
    assert Reachability.objects.current().count() == 0


def test_it_shows_leaders_and_the_switchboard_who_is_reachable(client_as, agent, leader):
    Reachability.declare(agent.person, actor=agent, **DECLARE)
    for user in (leader, agent):
        response = client_as(user).get(reverse("contactcenter:reachable_list"))
        assert response.status_code == 200
        assert "Anna Agent" in response.content.decode()
        assert "tel:+4520112233" in response.content.decode()


def test_it_hides_the_list_from_employees_and_it(client_as, employee, it_person):
    for user in (employee, it_person):
        assert client_as(user).get(reverse("contactcenter:reachable_list")).status_code == 403


def test_it_refuses_people_outside_the_municipality(client_as, make_user):
    # Any employee may declare (issue 21: tests/contactcenter/test_reachable_employees.py);
    # an external (the DPO's firm) is not put through to.
    from beredskab.roles import Role

    outsider = make_user(Role.EKSTERN_DPO, username="dpo", external_organisation="DPO ApS")
    response = client_as(outsider).post(reverse("contactcenter:reachable_me"), POSTED)
    assert response.status_code == 403
    assert not Reachability.objects.exists()


def test_it_leaves_an_expired_agent_off_the_list(client_as, agent, leader):
    Reachability.declare(
        agent.person, actor=agent, now=timezone.now() - timedelta(days=2), **DECLARE
    )
    body = client_as(leader).get(reverse("contactcenter:reachable_list")).content.decode()
    assert "Anna Agent" not in body


# --- The number the voice line forwards to (the authority issue, items 9 and 12) ---


def test_it_sets_no_forwarding_number_without_the_password(client_as, agent):
    response = client_as(agent).post(reverse("contactcenter:reachable_me"), DECLARE)
    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    assert not Reachability.objects.exists()


@pytest.mark.parametrize("number", ["+44 20 7123 4567", "+46 70 123 45 67", "90 12 34 56"])
def test_it_refuses_a_forwarding_number_abroad_or_premium_at_the_field(client_as, agent, number):
    response = client_as(agent).post(
        reverse("contactcenter:reachable_me"), {**POSTED, "number": number}
    )
    assert response.status_code == 400
    assert "number" in response.context["form"].errors
    assert not Reachability.objects.exists()


def test_it_refuses_a_foreign_number_in_the_model_too(agent):
    with pytest.raises(ValidationError):
        Reachability.declare(
            agent.person, where="home", how="mobile", number="+442071234567", actor=agent
        )
    assert not Reachability.objects.exists()
