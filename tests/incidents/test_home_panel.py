"""The home page's "open incidents" panel and the navigation to the hændelseslog."""

from __future__ import annotations

from django.urls import reverse


def test_it_lists_the_employees_own_open_reports_on_the_home_page(client_as, people, make_incident):
    own = make_incident()
    other = make_incident(user=people["boss"])
    html = client_as(people["reporter"]).get(reverse("home")).content.decode()
    assert own.reference in html
    assert reverse("incidents:receipt", args=[own.pk]) in html
    assert other.reference not in html


def test_it_links_the_systemkoordinator_to_the_incident_and_the_log(
    client_as, people, make_incident
):
    incident = make_incident()
    html = client_as(people["koordinator"]).get(reverse("home")).content.decode()
    assert reverse("incidents:detail", args=[incident.pk]) in html
    assert reverse("incidents:log") in html


def test_it_keeps_the_log_out_of_an_employees_navigation(client_as, people):
    html = client_as(people["reporter"]).get(reverse("home")).content.decode()
    assert reverse("incidents:log") not in html
    assert reverse("incidents:report") in html
