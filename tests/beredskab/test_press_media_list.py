"""Press texts go only to the media list that the kontaktcenterleder or an admin keeps;
sending asks for the password, has a daily cap, is masked for CPR and is on the
timeline (the authority issue, items 7 and 12)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from beredskab import broadcast as service
from beredskab import timeline
from beredskab.models import MediaOutlet, OutboxMessage, PressText
from beredskab.roles import Role
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def agent(make_user):
    return make_user(Role.MEDARBEJDER, Role.KONTAKTCENTER, username="agent")


@pytest.fixture
def cc_leader(make_user):
    return make_user(Role.MEDARBEJDER, Role.KONTAKTCENTERLEDER, username="ccleder")


@pytest.fixture
def outlet(db):
    return MediaOutlet.objects.create(name="JydskeVestkysten", email="redaktion@example.invalid")


def write(client, outlets, **extra):
    return client.post(
        reverse("broadcast:press_new"),
        {"title": "Nedbrud", "body": "Borgerservice er lukket", "outlets": outlets, **extra},
    )


def test_it_refuses_a_free_address(agent, outlet, client_as):
    response = write(client_as(agent), [outlet.pk], recipients="attacker@example.com")
    assert response.status_code == 400
    assert "free e-mail addresses are not allowed" in response.content.decode()
    assert not PressText.objects.exists()


def test_it_refuses_an_outlet_off_the_active_media_list(agent, outlet, client_as):
    outlet.active = False
    outlet.save()
    response = write(client_as(agent), [outlet.pk])
    assert response.status_code == 400
    assert "outlets" in response.context["form"].errors
    assert not PressText.objects.exists()


def test_it_sends_nothing_to_an_outlet_made_inactive_after_the_draft(agent, outlet, client_as):
    other = MediaOutlet.objects.create(name="DR Syd", email="syd@example.invalid")
    client = client_as(agent)
    write(client, [outlet.pk, other.pk])
    press = PressText.objects.get()
    other.active = False
    other.save()
    response = client.post(reverse("broadcast:press_send", args=[press.pk]), {"password": PASSWORD})
    assert response.status_code == 302
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == [outlet.email]


def test_it_asks_for_the_password_before_sending(agent, outlet, client_as):
    client = client_as(agent)
    write(client, [outlet.pk])
    press = PressText.objects.get()
    refused = client.post(reverse("broadcast:press_send", args=[press.pk]))
    assert refused.status_code == 400
    wrong = client.post(reverse("broadcast:press_send", args=[press.pk]), {"password": "nope"})
    assert wrong.status_code == 400
    assert not OutboxMessage.objects.exists()
    press.refresh_from_db()
    assert press.sent_at is None


def test_it_refuses_over_the_daily_cap(agent, outlet, client_as, settings):
    settings.PRESS_MAX_PER_DAY = 1
    client = client_as(agent)
    for _ in range(2):
        write(client, [outlet.pk])
    first, second = PressText.objects.order_by("pk")
    url = reverse("broadcast:press_send", args=[first.pk])
    assert client.post(url, {"password": PASSWORD}).status_code == 302
    response = client.post(
        reverse("broadcast:press_send", args=[second.pk]), {"password": PASSWORD}
    )
    assert response.status_code == 429
    assert "You have sent 1 press texts" in response.content.decode()
    second.refresh_from_db()
    assert second.sent_at is None


def test_it_refuses_over_the_cap_for_the_whole_portal(agent, cc_leader, outlet, settings):
    settings.PRESS_MAX_PER_DAY_TOTAL = 1
    one = service.write_press_text(
        title="a", body="b", outlets=[outlet], is_exercise=False, actor=cc_leader
    )
    two = service.write_press_text(
        title="a", body="b", outlets=[outlet], is_exercise=False, actor=agent
    )
    service.send_press_text(one, actor=cc_leader)
    with pytest.raises(service.OverCap):
        service.send_press_text(two, actor=agent)


def test_it_masks_cpr_numbers_in_a_press_text(agent, outlet, client_as):
    client = client_as(agent)
    write(
        client,
        [outlet.pk],
        title="Borger 010190-1234",
        body="Borgeren med cpr 010190.1234 og ０１０１９０１２３４ er fundet",
    )
    press = PressText.objects.get()
    assert "1234" not in press.title + press.body
    assert press.body.count("XXXXXX-XXXX") == 2


def test_it_masks_an_old_unmasked_draft_when_it_is_sent(agent, outlet, client_as):
    press = PressText.objects.create(title="t", body="cpr 010190-1234")
    press.outlets.add(outlet)
    client_as(agent).post(reverse("broadcast:press_send", args=[press.pk]), {"password": PASSWORD})
    message = OutboxMessage.objects.get()
    assert "010190-1234" not in message.body
    assert "XXXXXX-XXXX" in message.body


def test_it_puts_writing_and_sending_on_the_timeline(
    agent, outlet, client_as, django_capture_on_commit_callbacks
):
    client = client_as(agent)
    write(client, [outlet.pk])
    press = PressText.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("broadcast:press_send", args=[press.pk]), {"password": PASSWORD})
    assert [e.kind for e in timeline.events_for(press)] == ["press.written", "press.sent"]
    assert [m.to for m in mail.outbox] == [[outlet.email]]


# --- The media list page ---


def test_it_keeps_agents_off_the_media_list(agent, outlet, client_as):
    client = client_as(agent)
    assert client.get(reverse("broadcast:media")).status_code == 403
    response = client.post(
        reverse("broadcast:media"),
        {"name": "Mine", "email": "me@example.com", "active": "on", "password": PASSWORD},
    )
    assert response.status_code == 403
    assert client.get(reverse("broadcast:media_edit", args=[outlet.pk])).status_code == 403
    assert MediaOutlet.objects.count() == 1


def test_it_lets_the_kontaktcenterleder_add_an_outlet_after_re_authenticating(cc_leader, client_as):
    client = client_as(cc_leader)
    data = {"name": "TV Syd", "email": "Nyheder@Example.invalid", "active": "on"}
    assert client.post(reverse("broadcast:media"), data).status_code == 400
    assert not MediaOutlet.objects.exists()
    response = client.post(reverse("broadcast:media"), {**data, "password": PASSWORD})
    assert response.status_code == 302
    outlet = MediaOutlet.objects.get()
    assert outlet.email == "nyheder@example.invalid"
    assert timeline.events_for(outlet).get().kind == "media_outlet.added"


def test_it_refuses_the_same_address_twice(cc_leader, outlet, client_as):
    response = client_as(cc_leader).post(
        reverse("broadcast:media"),
        {"name": "Again", "email": outlet.email.upper(), "active": "on", "password": PASSWORD},
    )
    assert response.status_code == 400
    assert "email" in response.context["form"].errors


def test_it_deactivates_an_outlet_on_the_timeline(cc_leader, outlet, client_as):
    response = client_as(cc_leader).post(
        reverse("broadcast:media_edit", args=[outlet.pk]),
        {"name": outlet.name, "email": outlet.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    outlet.refresh_from_db()
    assert not outlet.active
    assert timeline.events_for(outlet).last().data["active"] is False
