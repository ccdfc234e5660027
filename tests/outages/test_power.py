"""A power outage: declared by the plan's roles, the playbook run as a live checklist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from beredskab import timeline
from beredskab.escalation import engine
from beredskab.models import RunStep
from beredskab.notify.sms import LocmemBackend
from beredskab.roles import Role
from outages.models import ItemState, PowerOutage, PowerStatus, RunItem
from outages.plan import load_appendix_1, load_power_playbook

DECLARE = {"title": "Ingen strøm på rådhuset", "meeting_point": "P-pladsen ved indgang A"}


@pytest.fixture
def playbook(db, plan):
    load_power_playbook()
    load_appendix_1()


@pytest.fixture
def group_member(make_user):
    return make_user(Role.MEDARBEJDER, Role.BEREDSKABSGRUPPE, username="gruppe")


@pytest.fixture
def frontdesk(make_user):
    return make_user(Role.MEDARBEJDER, Role.FRONTDESK, username="frontdesk")


@pytest.fixture
def outage(leader, group_member, playbook, client_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_as(leader).post(reverse("outages:power_declare"), {**DECLARE, "nonce": "n1"})
    return PowerOutage.objects.get()


def test_it_lets_the_plans_roles_declare(make_user, client_as, playbook):
    for role in (Role.LEDER, Role.IT, Role.SYSTEMKOORDINATOR, Role.BEREDSKABSGRUPPE):
        user = make_user(role)
        assert client_as(user).get(reverse("outages:power_declare")).status_code == 200
    for role in (Role.MEDARBEJDER, Role.FRONTDESK, Role.KONTAKTCENTER):
        user = make_user(role)
        response = client_as(user).post(reverse("outages:power_declare"), DECLARE)
        assert response.status_code == 403
    assert not PowerOutage.objects.exists()


def test_it_refuses_a_declaration_without_a_meeting_point(leader, client_as, playbook):
    response = client_as(leader).post(reverse("outages:power_declare"), {"title": "x"})
    assert response.status_code == 400
    assert not PowerOutage.objects.exists()


def test_it_snapshots_the_playbook_and_alerts_the_group(outage, group_member):
    assert outage.status == PowerStatus.DECLARED
    texts = list(outage.items.values_list("text", flat=True))
    assert any("dørvagt" in t for t in texts)
    assert any("masse-SMS" in t for t in texts)
    sms = [m for m in LocmemBackend.sent if m["to"] == str(group_member.person.mobile)]
    assert sms and "P-pladsen ved indgang A" in sms[0]["body"]
    kinds = [e.kind for e in timeline.events_for(outage)]
    assert kinds == ["power.declared", "power.escalation_started"]


def test_it_shows_who_has_confirmed(outage, group_member, employee, client_as):
    page = client_as(employee).get(outage.get_absolute_url()).content.decode()
    assert "not confirmed yet" in page
    step = RunStep.objects.get(run=outage.run, position=1)
    engine.acknowledge(step, by=group_member.person)
    page = client_as(employee).get(outage.get_absolute_url()).content.decode()
    assert "confirmed " in page.replace("not confirmed yet", "")


def test_it_lets_only_the_items_role_tick_it(outage, frontdesk, group_member, client_as):
    item = outage.items.get(owner_role=Role.FRONTDESK)
    url = reverse("outages:power_item", args=[outage.pk, item.pk])
    assert client_as(group_member).post(url, {"state": "done"}).status_code == 403
    response = client_as(frontdesk).post(url, {"state": "done", "note": "Sendt kl. 9"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.DONE and item.done_by_text and item.done_at
    assert timeline.events_for(outage).last().kind == "power.item_done"


def test_it_records_an_item_ticked_twice_once(outage, make_user):
    item = outage.items.filter(owner_role=Role.BEREDSKABSGRUPPE).first()
    first = make_user(Role.BEREDSKABSGRUPPE, name="Første")
    second = make_user(Role.BEREDSKABSGRUPPE, name="Anden")
    stale_copy = RunItem.objects.get(pk=item.pk)
    assert item.settle(ItemState.DONE, actor=first) is True
    assert stale_copy.settle(ItemState.DONE, actor=second) is False
    item.refresh_from_db()
    assert item.done_by_text == "Første"
    ticks = [e for e in timeline.events_for(outage) if e.kind == "power.item_done"]
    assert len(ticks) == 1


def test_it_needs_a_reason_for_not_applicable(outage, frontdesk, client_as):
    item = outage.items.get(owner_role=Role.FRONTDESK)
    url = reverse("outages:power_item", args=[outage.pk, item.pk])
    response = client_as(frontdesk).post(url, {"state": "not_applicable", "note": ""})
    assert response.status_code == 400
    assert "Say why the item does not apply." in response.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.OPEN
    client_as(frontdesk).post(url, {"state": "not_applicable", "note": "Ingen bookinger i dag"})
    item.refresh_from_db()
    assert item.state == ItemState.NOT_APPLICABLE and item.note == "Ingen bookinger i dag"


def test_it_shows_a_tick_to_everyone_in_the_fragment(outage, frontdesk, employee, client_as):
    item = outage.items.get(owner_role=Role.FRONTDESK)
    item.settle(ItemState.DONE, actor=frontdesk, note="Alle aflyst")
    response = client_as(employee).get(outage.get_absolute_url(), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="checklist"')
    assert "Alle aflyst" in body and "<html" not in body


def test_it_closes_with_open_items_only_with_a_reason(outage, leader, client_as):
    client = client_as(leader)
    client.post(reverse("outages:power_status", args=[outage.pk]), {"to": "power_restored"})
    url = reverse("outages:power_close", args=[outage.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    outage.refresh_from_db()
    assert outage.status == PowerStatus.POWER_RESTORED
    assert client.post(url, {"reason": "Strømmen kom efter 20 minutter"}).status_code == 302
    outage.refresh_from_db()
    assert outage.status == PowerStatus.CLOSED and outage.closed_at


def test_it_refuses_an_unknown_status(outage, leader, client_as):
    response = client_as(leader).post(
        reverse("outages:power_status", args=[outage.pk]), {"to": "closed"}
    )
    assert response.status_code == 400
    outage.refresh_from_db()
    assert outage.status == PowerStatus.DECLARED


def test_it_shows_appendix_1_in_the_run(outage, employee, client_as):
    page = client_as(employee).get(outage.get_absolute_url()).content.decode()
    assert "Pas og kørekort" in page and "Sundhedskort" in page


def test_it_offers_go_home_and_the_press_text_to_broadcasters(outage, leader, employee, client_as):
    from beredskab.models import MessageTemplate
    from outages.plan import GO_HOME_KEY, load_message_templates

    load_message_templates()
    assert MessageTemplate.objects.filter(key__startswith="el-nedbrud").count() == 3
    page = client_as(leader).get(outage.get_absolute_url()).content.decode()
    assert f"?template={GO_HOME_KEY}" in page
    go_home = client_as(leader).get(reverse("broadcast:new") + f"?template={GO_HOME_KEY}")
    assert "gå hjem" in go_home.content.decode()
    assert "?template=" not in client_as(employee).get(outage.get_absolute_url()).content.decode()


def test_it_shows_the_roster_to_declarers_only(group_member, leader, employee, client_as):
    url = reverse("outages:power_list")
    assert str(group_member.person.name) in client_as(leader).get(url).content.decode()
    assert str(group_member.person.name) not in client_as(employee).get(url).content.decode()


def test_its_poll_answers_204_until_something_changes_and_keeps_the_forms(
    outage, frontdesk, client_as
):
    import re

    client = client_as(frontdesk)
    page = client.get(outage.get_absolute_url()).content.decode()
    poll = re.search(r'id="checklist" hx-get="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "?v=" in poll
    # Forms in the polled part keep what is typed: a stable id and hx-preserve.
    item = outage.items.get(owner_role=Role.FRONTDESK)
    assert f'id="settle-{item.pk}" hx-preserve' in page
    unchanged = client.get(poll, headers={"HX-Request": "true"})
    assert unchanged.status_code == 204 and unchanged.content == b""
    item.settle(ItemState.DONE, actor=frontdesk, note="Alle aflyst")
    changed = client.get(poll, headers={"HX-Request": "true"})
    assert changed.status_code == 200 and "Alle aflyst" in changed.content.decode()
    # A plain reload of the same address is the whole page, never a 204.
    assert client.get(poll).status_code == 200
