"""The status page for all staff: down and degraded systems, since, ETA, last update."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone


def test_it_shows_a_declared_outage_to_an_employee(declared, it_user, employee, client_as):
    declared.contact_supplier(
        eta=timezone.now() + timedelta(hours=2), note="Leverandøren arbejder", actor=it_user
    )
    page = client_as(employee).get(reverse("outages:index")).content.decode()
    assert "SBSYS (down)" in page
    assert "Leverandøren arbejder" in page
    assert "Not known yet" not in page  # the ETA is known
    assert reverse("outages:detail", args=[declared.pk]) in page


def test_it_says_so_when_nothing_is_down(employee, client_as, reported):
    page = client_as(employee).get(reverse("outages:index")).content.decode()
    assert "No systems are known to be down right now." in page
    # An unconfirmed report is not news for everyone; nor is its text.
    assert "SBSYS svarer ikke" not in page


def test_it_answers_htmx_with_the_fragment_only(declared, employee, client_as):
    response = client_as(employee).get(reverse("outages:index"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="status"')
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_it_polls_and_keeps_a_plain_reload_link(declared, employee, client_as):
    page = client_as(employee).get(reverse("outages:index")).content.decode()
    assert 'hx-trigger="every 30s"' in page
    assert f'href="{reverse("outages:index")}"' in page
    assert "<script>" not in page.replace("<script src", "")


def test_it_lists_reports_awaiting_confirmation_for_it_only(reported, it_user, employee, client_as):
    assert (
        "Reports awaiting confirmation"
        in client_as(it_user).get(reverse("outages:index")).content.decode()
    )
    assert (
        "Reports awaiting confirmation"
        not in client_as(employee).get(reverse("outages:index")).content.decode()
    )


def test_it_moves_a_restored_outage_out_of_the_down_list(declared, it_user, employee, client_as):
    declared.mark_restored(note="", actor=it_user)
    page = client_as(employee).get(reverse("outages:index")).content.decode()
    assert "No systems are known to be down right now." in page
    assert "working again since" in page
