"""Playbooks and Appendix 1 as data: loaded from the plan, edited by the systemkoordinator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from beredskab.roles import Role
from outages.models import AppendixRow, Keep, Playbook, PlaybookItem
from outages.plan import load_appendix_1, load_power_playbook


@pytest.fixture
def book(db) -> Playbook:
    return load_power_playbook()


def test_it_loads_the_power_playbook_in_the_plans_words_once(book):
    texts = list(PlaybookItem.objects.values_list("text", flat=True))
    assert any("WiFi, Bluetooth, NFC" in t for t in texts)
    assert any("batteridrevne hotspots" in t for t in texts)
    assert any("medierne" in t for t in texts)
    roles = set(PlaybookItem.objects.values_list("owner_role", flat=True))
    assert {Role.LEDER, Role.FRONTDESK, Role.BEREDSKABSGRUPPE, Role.IT} <= roles
    PlaybookItem.objects.first().delete()  # an edit survives a second load
    count = PlaybookItem.objects.count()
    load_power_playbook()
    assert PlaybookItem.objects.count() == count and Playbook.objects.count() == 1


def test_it_loads_appendix_1_once(db):
    assert load_appendix_1() >= 6
    assert load_appendix_1() == 0
    assert AppendixRow.objects.get(function="Pas og kørekort").can_keep == Keep.NO


def test_it_lets_the_systemkoordinator_add_and_change_items(book, systemkoordinator, client_as):
    client = client_as(systemkoordinator)
    section = book.sections.first()
    response = client.post(
        reverse("outages:item_add", args=[book.pk]),
        {
            "item-section": section.pk,
            "item-text": "Tjek nødbelysningen",
            "item-owner_role": Role.BEREDSKABSGRUPPE,
            "item-position": 9,
        },
    )
    assert response.status_code == 302
    item = PlaybookItem.objects.get(text="Tjek nødbelysningen")
    url = reverse("outages:item_edit", args=[book.pk, item.pk])
    data = {"section": section.pk, "text": "Tjek nødlys", "owner_role": Role.IT, "position": 9}
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.text, item.owner_role) == ("Tjek nødlys", Role.IT)
    delete = reverse("outages:item_delete", args=[book.pk, item.pk])
    assert client.post(delete).status_code == 302
    assert not PlaybookItem.objects.filter(pk=item.pk).exists()


def test_it_refuses_an_item_without_text_or_with_an_unknown_role(
    book, systemkoordinator, client_as
):
    count = PlaybookItem.objects.count()
    response = client_as(systemkoordinator).post(
        reverse("outages:item_add", args=[book.pk]),
        {"item-section": book.sections.first().pk, "item-text": "", "item-owner_role": "boss"},
    )
    assert response.status_code == 400
    assert PlaybookItem.objects.count() == count


def test_it_forbids_editing_to_others(book, employee, leader, client_as):
    for user in (employee, leader):
        response = client_as(user).post(
            reverse("outages:section_add", args=[book.pk]), {"section-title": "x"}
        )
        assert response.status_code == 403
    assert client_as(employee).get(book.get_absolute_url()).status_code == 200


def test_it_edits_appendix_1(systemkoordinator, sbsys, client_as, employee):
    load_appendix_1()
    row = AppendixRow.objects.get(function="Flytning")
    client = client_as(systemkoordinator)
    url = reverse("outages:appendix_edit", args=[row.pk])
    data = {
        "function": "Flytning",
        "can_keep": "yes",
        "workaround": "Selvbetjening",
        "depends_on": [sbsys.pk],
        "position": 3,
    }
    assert client.post(url, data).status_code == 302
    row.refresh_from_db()
    assert row.can_keep == Keep.YES and list(row.depends_on.all()) == [sbsys]
    bad = client.post(url, {**data, "can_keep": "maybe"})
    assert bad.status_code == 400
    row.refresh_from_db()
    assert row.can_keep == Keep.YES
    assert client_as(employee).post(url, data).status_code == 403
    page = client_as(employee).get(reverse("outages:appendix")).content.decode()
    assert "Selvbetjening" in page and "SBSYS" in page
