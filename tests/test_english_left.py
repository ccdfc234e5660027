"""No English left on Danish pages (issue 21): the playbook item form's "Section", the
people pages' "Login" heading. (Delivery codes and the broadcast/press timeline lines:
tests/beredskab/test_broadcast_exclusions.py and test_press_in_danish below.)"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from beredskab import broadcast as service
from beredskab.models import MediaOutlet
from beredskab.roles import Role
from outages.forms.power import ItemForm
from outages.models import Playbook

pytestmark = pytest.mark.django_db


def test_the_playbook_item_form_says_afsnit():
    playbook = Playbook.objects.create(key="test", name="Strømsvigt", event_kind="power_outage")
    html = str(ItemForm(playbook=playbook)["section"].label_tag())
    assert "Afsnit" in html
    assert "Section" not in html


def test_the_people_pages_have_no_english_login_heading(client_as, systemkoordinator):
    client: Client = client_as(systemkoordinator)
    page = client.get(reverse("directory:person_list")).content.decode()
    assert ">Login<" not in page
    assert "Brugerkonto" in page


def test_press_pages_read_in_danish(make_user, client_as, django_capture_on_commit_callbacks):
    sender = make_user(Role.KONTAKTCENTERLEDER, username="kcl")
    outlet = MediaOutlet.objects.create(name="Avisen", email="red@example.invalid")
    press = service.write_press_text(
        title="Nedbrud", body="Tekst", outlets=[outlet], is_exercise=False, actor=sender
    )
    with django_capture_on_commit_callbacks(execute=True):
        service.send_press_text(press, actor=sender)
    page = client_as(sender).get(reverse("broadcast:press_detail", args=[press.pk]))
    html = page.content.decode()
    assert "Press: written" not in html and "Press: sent" not in html
    assert "Pressemeddelelse skrevet til Avisen" in html
    for code in ("queued:", "delivered:", "pending:", "accepted:"):
        assert code not in html
