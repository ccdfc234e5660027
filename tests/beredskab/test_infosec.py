"""The "Informationssikkerhed" page and its editor."""

from __future__ import annotations

import pytest
from django.urls import reverse

from beredskab.models import InfoLink, TimelineEvent
from beredskab.timeline import events_for


@pytest.fixture
def links(db):
    return [
        InfoLink.objects.create(
            key="policy", title="Policy", url="https://x.example/p", position=10
        ),
        InfoLink.objects.create(
            key="phishing", title="Phishing", guidance="Do not click.", position=20
        ),
        InfoLink.objects.create(key="mobile", title="Mobile", guidance="Lock it.", position=30),
    ]


def _kinds(link: InfoLink) -> list[str]:
    return list(events_for(link).values_list("kind", flat=True))


def test_it_shows_the_links_and_guidance_to_an_employee(client_as, employee, links):
    response = client_as(employee).get(reverse("infosec"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="https://x.example/p">Policy</a>' in html
    assert "Do not click." in html
    assert html.index("Policy") < html.index("Phishing") < html.index("Mobile")
    assert reverse("incidents:index") in html  # "Report a security incident"
    assert reverse("infosec_add") not in html
    assert reverse("infosec_edit", args=[links[0].pk]) not in html


def test_it_escapes_guidance_text(client_as, employee, db):
    InfoLink.objects.create(key="x", title="<b>T</b>", guidance="<script>alert(1)</script>")
    html = client_as(employee).get(reverse("infosec")).content.decode()
    assert "<script>alert" not in html
    assert "&lt;b&gt;T&lt;/b&gt;" in html


def test_it_shows_the_edit_controls_to_the_systemkoordinator(client_as, systemkoordinator, links):
    html = client_as(systemkoordinator).get(reverse("infosec")).content.decode()
    assert reverse("infosec_add") in html
    assert reverse("infosec_edit", args=[links[1].pk]) in html
    assert reverse("infosec_move", args=[links[1].pk]) in html


@pytest.mark.parametrize("name", ["infosec_add", "infosec_edit", "infosec_delete"])
def test_it_forbids_an_employee_to_edit(client_as, employee, links, name):
    kwargs = {} if name == "infosec_add" else {"pk": links[0].pk}
    client = client_as(employee)
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403
    assert client.post(reverse(name, kwargs=kwargs), {"title": "Hacked"}).status_code == 403
    assert InfoLink.objects.filter(title="Hacked").count() == 0
    assert InfoLink.objects.count() == 3


def test_it_forbids_an_employee_to_reorder(client_as, employee, links):
    response = client_as(employee).post(
        reverse("infosec_move", args=[links[0].pk]), {"direction": "down"}
    )
    assert response.status_code == 403
    assert InfoLink.objects.get(pk=links[0].pk).position == 10


def test_it_creates_a_link_at_the_end_with_an_event(client_as, systemkoordinator, links):
    response = client_as(systemkoordinator).post(
        reverse("infosec_add"),
        {"title": "Data protection", "url": "https://x.example/gdpr", "guidance": ""},
    )
    assert response.status_code == 302
    link = InfoLink.objects.get(title="Data protection")
    assert link.position > 30
    assert link.key.startswith("portal-")
    event = events_for(link).get()
    assert event.kind == "infolink.created"
    assert event.actor_id == systemkoordinator.pk


def test_it_gives_two_links_with_the_same_title_different_keys(client_as, systemkoordinator, db):
    client = client_as(systemkoordinator)
    for _ in range(2):
        client.post(reverse("infosec_add"), {"title": "Same", "guidance": "Text"})
    assert len(set(InfoLink.objects.values_list("key", flat=True))) == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "url": "https://x.example/"}, "title"),
        ({"title": "   ", "url": "https://x.example/"}, "title"),
        ({"title": "Bad", "url": "not a url"}, "url"),
        ({"title": "Bad", "url": "javascript:alert(1)"}, "url"),
        ({"title": "Empty", "url": "", "guidance": ""}, "guidance"),
        ({"title": "Far", "guidance": "x", "position": "-1"}, "position"),
    ],
)
def test_it_rejects_bad_input_at_the_field(client_as, systemkoordinator, links, data, field):
    response = client_as(systemkoordinator).post(reverse("infosec_add"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert InfoLink.objects.count() == 3
    assert TimelineEvent.objects.count() == 0


def test_it_edits_a_link_with_an_event_naming_the_fields(client_as, systemkoordinator, links):
    link = links[1]
    response = client_as(systemkoordinator).post(
        reverse("infosec_edit", args=[link.pk]),
        {"title": "Phishing mails", "url": "", "guidance": "Do not click.", "position": "20"},
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.title == "Phishing mails"
    assert link.key == "phishing"  # load_plan's stable key is kept
    event = events_for(link).get()
    assert event.kind == "infolink.updated"
    assert event.data["fields"] == ["title"]


def test_it_keeps_the_position_when_left_empty_on_edit(client_as, systemkoordinator, links):
    link = links[2]
    client_as(systemkoordinator).post(
        reverse("infosec_edit", args=[link.pk]), {"title": "Mobile", "guidance": "Lock it."}
    )
    link.refresh_from_db()
    assert link.position == 30


def test_it_writes_no_event_for_an_edit_that_changes_nothing(client_as, systemkoordinator, links):
    link = links[1]
    client_as(systemkoordinator).post(
        reverse("infosec_edit", args=[link.pk]),
        {"title": "Phishing", "url": "", "guidance": "Do not click.", "position": "20"},
    )
    assert _kinds(link) == []


def test_it_rejects_a_bad_edit_and_saves_nothing(client_as, systemkoordinator, links):
    link = links[0]
    response = client_as(systemkoordinator).post(
        reverse("infosec_edit", args=[link.pk]), {"title": "New", "url": "ftp:/broken"}
    )
    assert response.status_code == 400
    link.refresh_from_db()
    assert (link.title, link.url) == ("Policy", "https://x.example/p")


def test_it_answers_404_for_a_missing_link(client_as, systemkoordinator, db):
    client = client_as(systemkoordinator)
    assert client.get(reverse("infosec_edit", args=[999])).status_code == 404
    assert client.post(reverse("infosec_delete", args=[999])).status_code == 404
    assert client.post(reverse("infosec_move", args=[999]), {"direction": "up"}).status_code == 404


def test_it_asks_before_deleting_and_records_the_deletion(client_as, systemkoordinator, links):
    client = client_as(systemkoordinator)
    link = links[0]
    confirm = client.get(reverse("infosec_delete", args=[link.pk]))
    assert confirm.status_code == 200
    assert InfoLink.objects.filter(pk=link.pk).exists()
    response = client.post(reverse("infosec_delete", args=[link.pk]))
    assert response.status_code == 302
    assert not InfoLink.objects.filter(pk=link.pk).exists()
    event = TimelineEvent.objects.get(subject_id=str(link.pk))
    assert (event.kind, event.data["title"]) == ("infolink.deleted", "Policy")


def test_it_moves_a_link_up_and_down(client_as, systemkoordinator, links):
    client = client_as(systemkoordinator)
    response = client.post(reverse("infosec_move", args=[links[2].pk]), {"direction": "up"})
    assert response.status_code == 302
    order = list(InfoLink.objects.order_by("position").values_list("key", flat=True))
    assert order == ["policy", "mobile", "phishing"]
    client.post(reverse("infosec_move", args=[links[0].pk]), {"direction": "down"})
    order = list(InfoLink.objects.order_by("position").values_list("key", flat=True))
    assert order == ["mobile", "policy", "phishing"]
    assert _kinds(links[2]) == ["infolink.moved"]


def test_it_orders_links_with_equal_positions_before_moving(client_as, systemkoordinator, db):
    a = InfoLink.objects.create(key="a", title="A", guidance="x")
    b = InfoLink.objects.create(key="b", title="B", guidance="x")
    client_as(systemkoordinator).post(reverse("infosec_move", args=[b.pk]), {"direction": "up"})
    assert list(InfoLink.objects.order_by("position").values_list("pk", flat=True)) == [b.pk, a.pk]


def test_it_leaves_the_first_link_first_when_moved_up(client_as, systemkoordinator, links):
    client_as(systemkoordinator).post(
        reverse("infosec_move", args=[links[0].pk]), {"direction": "up"}
    )
    assert InfoLink.objects.order_by("position").first().key == "policy"
    assert _kinds(links[0]) == []


def test_it_rejects_an_unknown_direction(client_as, systemkoordinator, links):
    client = client_as(systemkoordinator)
    response = client.post(reverse("infosec_move", args=[links[0].pk]), {"direction": "sideways"})
    assert response.status_code == 400
    assert client.get(reverse("infosec_move", args=[links[0].pk])).status_code == 405


def test_it_gives_an_invalid_address_one_error_only(client_as, systemkoordinator, db):
    response = client_as(systemkoordinator).post(
        reverse("infosec_add"), {"title": "T", "url": "not a url"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_url_error"' in html
    assert 'id="id_guidance_error"' not in html
