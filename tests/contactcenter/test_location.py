from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from twilio.request_validator import RequestValidator

from beredskab import timeline
from beredskab.models import MessageTemplate
from contactcenter.models import CentreLocation, Reachability
from contactcenter.plan import BROADCAST_TEMPLATE_KEY, PRESS_TEMPLATE_KEY, load_message_templates

pytestmark = pytest.mark.django_db


def test_it_records_a_relocation_on_the_timeline_and_the_board(client_as, agent, employee):
    response = client_as(agent).post(
        reverse("contactcenter:location"),
        {"mode": "relocated", "address": "Skelbækvej 2, Aabenraa", "hotspots": "3 i skabet"},
    )
    assert response.status_code == 302
    location = CentreLocation.current()
    assert location.mode == "relocated"
    assert timeline.events_for(location).last().kind == "centre.location_changed"
    board = client_as(employee).get(reverse("contactcenter:index")).content.decode()
    assert "Skelbækvej 2, Aabenraa" in board
    assert "3 i skabet" in board


def test_it_asks_for_the_address_when_relocated(client_as, agent):
    response = client_as(agent).post(reverse("contactcenter:location"), {"mode": "relocated"})
    assert response.status_code == 400
    assert "Say where the centre has moved to." in response.content.decode()
    assert not timeline.events_for(CentreLocation.current()).exists()


def test_it_keeps_employees_from_moving_the_centre(client_as, employee):
    response = client_as(employee).post(reverse("contactcenter:location"), {"mode": "distributed"})
    assert response.status_code == 403


def test_it_loads_the_contact_centres_own_templates_for_the_broadcast(client_as, agent):
    load_message_templates()
    load_message_templates()  # idempotent
    assert set(
        MessageTemplate.objects.filter(owner_app="contactcenter").values_list("key", "purpose")
    ) == {(BROADCAST_TEMPLATE_KEY, "broadcast"), (PRESS_TEMPLATE_KEY, "press")}
    client = client_as(agent)
    board = client.get(reverse("contactcenter:index")).content.decode()
    assert f"?template={BROADCAST_TEMPLATE_KEY}" in board
    assert f"?template={PRESS_TEMPLATE_KEY}" in board
    form = client.get(reverse("broadcast:new") + f"?template={BROADCAST_TEMPLATE_KEY}")
    assert "Kontaktcentret kan ikke tage telefonen" in form.content.decode()
    press = client.get(reverse("broadcast:press_new") + f"?template={PRESS_TEMPLATE_KEY}")
    assert "hovednummer" in press.content.decode()


# --- The voice line uses the list and the location ---
AUTH_TOKEN, BASE = "voice-token", "https://beredskab.example.invalid"


def call(client, settings):
    settings.TWILIO_AUTH_TOKEN, settings.BASE_URL = AUTH_TOKEN, BASE
    url = reverse("contactcenter:voice")
    data = {"CallSid": "CA1", "From": "+4520000001"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(BASE + url, data)
    return ET.fromstring(client.post(url, data, HTTP_X_TWILIO_SIGNATURE=signature).content)


def test_it_dials_the_first_reachable_agent(client, settings, agent, cc_leader):
    now = timezone.now()
    Reachability.declare(
        cc_leader.person, where="home", how="teams", number="+4530000002", actor="x", now=now
    )
    Reachability.declare(
        agent.person,
        where="home",
        how="mobile",
        number="+4530000001",
        actor="x",
        now=now - timedelta(minutes=5),
    )
    root = call(client, settings)
    assert root.find("Dial").text == "+4530000001"


def test_it_says_when_the_centre_expects_to_answer_again(client, settings):
    location = CentreLocation.current()
    back = timezone.now() + timedelta(days=2)
    location.change(mode="distributed", address="", hotspots="", expected_answer_at=back, actor="x")
    root = call(client, settings)
    assert root.find("Dial") is None
    last = [el.text for el in root.iter("Say")][-1]
    local = timezone.localtime(back)
    assert f"klokken {local:%H.%M}" in last
    assert f"den {local.day}." in last
