"""Staff broadcasts reach outside the portal: re-authentication, a daily cap per sender
and in all, and the timeline (the authority issue, item 7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beredskab import broadcast as service
from beredskab.models import Broadcast, OutboxMessage, TimelineEvent
from beredskab.reauth import SESSION_KEY
from beredskab.roles import Role
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def agent(make_user):
    return make_user(Role.MEDARBEJDER, Role.KONTAKTCENTER, username="agent")


def send_data(department, nonce: str, **extra) -> dict:
    return {
        "departments": [department.pk],
        "include_subunits": "on",
        "by_sms": "on",
        "subject": "Strømsvigt",
        "body": "Gå hjem",
        "nonce": nonce,
        "action": "send",
        **extra,
    }


def reauthenticated(client, minutes_ago: int = 0):
    session = client.session
    session[SESSION_KEY] = (timezone.now() - timedelta(minutes=minutes_ago)).isoformat()
    session.save()
    return client


def test_it_refuses_a_broadcast_from_an_agent_who_has_not_re_authenticated(
    agent, department, client_as
):
    response = client_as(agent).post(reverse("broadcast:new"), send_data(department, "n-1"))
    assert response.status_code == 400
    assert "password" in response.context["reauth"].errors
    assert not Broadcast.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_it_refuses_a_wrong_password(agent, department, client_as):
    response = client_as(agent).post(
        reverse("broadcast:new"), send_data(department, "n-1", password="not-it")
    )
    assert response.status_code == 400
    assert not Broadcast.objects.exists()


def test_it_asks_on_the_preview_and_sends_with_the_password(agent, department, client_as):
    client = client_as(agent)
    preview = client.post(reverse("broadcast:new"), send_data(department, "n-1", action="x"))
    assert preview.status_code == 200
    assert 'type="password"' in preview.content.decode()
    response = client.post(
        reverse("broadcast:new"), send_data(department, "n-1", password=PASSWORD)
    )
    assert response.status_code == 302
    assert Broadcast.objects.get().created_by == agent


def test_it_asks_nothing_within_the_window_but_again_after_it(
    agent, department, client_as, settings
):
    settings.REAUTH_WINDOW_MINUTES = 10
    client = reauthenticated(client_as(agent), minutes_ago=5)
    assert client.post(reverse("broadcast:new"), send_data(department, "n-1")).status_code == 302
    reauthenticated(client, minutes_ago=11)
    assert client.post(reverse("broadcast:new"), send_data(department, "n-2")).status_code == 400
    assert Broadcast.objects.count() == 1


def test_it_refuses_a_sender_over_the_daily_cap(agent, department, client_as, settings):
    settings.BROADCAST_MAX_PER_DAY = 2
    settings.BROADCAST_MAX_PER_DAY_TOTAL = 100
    client = reauthenticated(client_as(agent))
    for n in (1, 2):
        assert (
            client.post(reverse("broadcast:new"), send_data(department, f"n-{n}")).status_code
            == 302
        )
    response = client.post(reverse("broadcast:new"), send_data(department, "n-3"))
    assert response.status_code == 429
    assert "the limit is 2 per person" in response.content.decode()
    assert Broadcast.objects.count() == 2


def test_it_counts_the_cap_over_24_hours(agent, department, settings):
    settings.BROADCAST_MAX_PER_DAY = 1
    old = service.send_broadcast(
        departments=[department],
        include_subunits=True,
        by_sms=True,
        by_email=False,
        subject="s",
        body="b",
        actor=agent,
        nonce="old",
    )
    Broadcast.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    service.send_broadcast(
        departments=[department],
        include_subunits=True,
        by_sms=True,
        by_email=False,
        subject="s",
        body="b",
        actor=agent,
        nonce="new",
    )
    with pytest.raises(service.OverCap):
        service.send_broadcast(
            departments=[department],
            include_subunits=True,
            by_sms=True,
            by_email=False,
            subject="s",
            body="b",
            actor=agent,
            nonce="third",
        )


def test_it_refuses_over_the_cap_for_the_whole_portal(agent, make_user, department, settings):
    settings.BROADCAST_MAX_PER_DAY = 10
    settings.BROADCAST_MAX_PER_DAY_TOTAL = 1
    other = make_user(Role.KONTAKTCENTER, username="other")
    kwargs = dict(
        departments=[department],
        include_subunits=True,
        by_sms=True,
        by_email=False,
        subject="s",
        body="b",
    )
    service.send_broadcast(**kwargs, actor=other, nonce="a")
    with pytest.raises(service.OverCap, match="whole portal"):
        service.send_broadcast(**kwargs, actor=agent, nonce="b")


def test_it_lets_a_double_click_through_without_counting_it(agent, department, settings):
    settings.BROADCAST_MAX_PER_DAY = 1
    kwargs = dict(
        departments=[department],
        include_subunits=True,
        by_sms=True,
        by_email=False,
        subject="s",
        body="b",
        actor=agent,
        nonce="same",
    )
    first = service.send_broadcast(**kwargs)
    assert service.send_broadcast(**kwargs) == first


def test_it_shows_the_allowance_before_sending(agent, department, client_as, settings):
    settings.BROADCAST_MAX_PER_DAY = 1
    client = reauthenticated(client_as(agent))
    client.post(reverse("broadcast:new"), send_data(department, "n-1"))
    preview = client.post(reverse("broadcast:new"), send_data(department, "n-2", action="x"))
    content = preview.content.decode()
    assert "1 of your 1 allowed" in content
    assert "The daily limit is reached" in content
    assert 'value="send"' not in content


def test_it_puts_the_broadcast_on_the_timeline_with_the_sender(agent, department, client_as):
    client = reauthenticated(client_as(agent))
    client.post(reverse("broadcast:new"), send_data(department, "n-1"))
    event = TimelineEvent.objects.get(kind="broadcast.sent")
    assert event.actor_id == agent.pk
