from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beredskab import timeline
from contactcenter.models import ContactChannel

pytestmark = pytest.mark.django_db
State = ContactChannel.State


def test_it_shows_every_channel_to_any_employee_without_javascript(client_as, employee, channels):
    response = client_as(employee).get(reverse("contactcenter:index"))
    assert response.status_code == 200
    body = response.content.decode()
    for channel in channels.values():
        assert channel.name in body
    # The polled fragment and its plain fallback link are both there.
    assert 'hx-trigger="every 30s"' in body
    assert f'href="{reverse("contactcenter:index")}"' in body
    # An employee can read but not change.
    assert "Change or confirm" not in body


def test_it_answers_htmx_with_the_fragment_only(client_as, employee, channels):
    response = client_as(employee).get(reverse("contactcenter:index"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="board"')
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("who", ["agent", "cc_leader", "it_person", "leader"])
def test_it_lets_the_centre_it_and_leaders_mark_a_channel(request, who, channels):
    user = request.getfixturevalue(who)
    indialog = channels["indialog"]
    client = request.getfixturevalue("client_as")(user)
    response = client.post(
        reverse("contactcenter:channel", args=[indialog.pk]),
        {"state": State.DOWN, "note": "Robotten svarer ikke"},
    )
    assert response.status_code == 302
    indialog.refresh_from_db()
    assert indialog.state == State.DOWN
    assert indialog.note == "Robotten svarer ikke"
    assert indialog.updated_by_text
    event = timeline.events_for(indialog).last()
    assert event.kind == "channel.state_changed"
    assert event.data["to"] == State.DOWN


def test_it_keeps_the_other_channels_as_they_were(client_as, agent, channels):
    client = client_as(agent)
    samwin = channels["samwin-jansson"]
    client.post(reverse("contactcenter:channel", args=[samwin.pk]), {"state": State.WORKING})
    client.post(
        reverse("contactcenter:channel", args=[channels["indialog"].pk]), {"state": State.DOWN}
    )
    states = dict(ContactChannel.objects.values_list("key", "state"))
    assert states["samwin-jansson"] == State.WORKING
    assert states["indialog"] == State.DOWN
    assert states["teams-telefoni"] == State.UNKNOWN
    body = client.get(reverse("contactcenter:index")).content.decode()
    assert "Working" in body and "Down" in body


def test_it_refuses_an_employee_who_tries_to_change_a_channel(client_as, employee, channels):
    indialog = channels["indialog"]
    response = client_as(employee).post(
        reverse("contactcenter:channel", args=[indialog.pk]), {"state": State.DOWN}
    )
    assert response.status_code == 403
    indialog.refresh_from_db()
    assert indialog.state == State.UNKNOWN


def test_it_refuses_an_unknown_state_with_400_and_saves_nothing(client_as, agent, channels):
    indialog = channels["indialog"]
    response = client_as(agent).post(
        reverse("contactcenter:channel", args=[indialog.pk]), {"state": "exploded"}
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    indialog.refresh_from_db()
    assert indialog.state == State.UNKNOWN
    assert not timeline.events_for(indialog).exists()


def test_it_says_404_for_a_channel_that_does_not_exist(client_as, employee, channels):
    response = client_as(employee).get(reverse("contactcenter:channel", args=[99999]))
    assert response.status_code == 404


def test_it_confirms_the_same_state_without_moving_since(client_as, agent, channels):
    indialog = channels["indialog"]
    client = client_as(agent)
    url = reverse("contactcenter:channel", args=[indialog.pk])
    client.post(url, {"state": State.WORKING})
    indialog.refresh_from_db()
    since = indialog.state_since
    ContactChannel.objects.filter(pk=indialog.pk).update(
        confirmed_at=timezone.now() - timedelta(hours=5)
    )
    client.post(url, {"state": State.WORKING, "note": "Stadig fint"})
    indialog.refresh_from_db()
    assert indialog.state_since == since
    assert not indialog.is_stale()
    assert timeline.events_for(indialog).last().kind == "channel.confirmed"


def test_it_marks_a_state_nobody_confirmed_as_stale(client_as, employee, channels, settings):
    settings.CONTACT_STATUS_STALE_MINUTES = 60
    old = timezone.now() - timedelta(minutes=61)
    ContactChannel.objects.filter(key="teams-telefoni").update(confirmed_at=old)
    teams = ContactChannel.objects.get(key="teams-telefoni")
    assert teams.is_stale()
    assert not channels["indialog"].is_stale()
    body = client_as(employee).get(reverse("contactcenter:index")).content.decode()
    assert body.count("channel-stale") == 1
    assert "Stale" in body


def test_it_shows_the_channel_history_to_an_employee(client_as, agent, employee, channels):
    indialog = channels["indialog"]
    indialog.set_state(State.DEGRADED, note="Lange svartider", actor=agent)
    response = client_as(employee).get(reverse("contactcenter:channel", args=[indialog.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lange svartider" in body
    assert "channel.state_changed" in body
    assert 'name="state"' not in body  # no form for a reader
