"""Who looked: every view of an incident's detail, draft or PDF is logged, and the
systemkoordinator and the DPO can read the log."""

from __future__ import annotations

from django.urls import reverse

from incidents.models import ViewLogEntry


def test_opening_an_incidents_detail_is_in_its_view_log(client_as, people, make_incident):
    incident = make_incident()
    assert not incident.views.exists()
    assert client_as(people["it"]).get(incident.get_absolute_url()).status_code == 200
    (entry,) = incident.views.all()
    assert (entry.user, entry.what) == (people["it"], "detail")
    assert entry.user_text == people["it"].person.name
    page = client_as(people["dpo"]).get(reverse("incidents:view_log", args=[incident.pk]))
    assert page.status_code == 200
    assert people["it"].person.name in page.content.decode()


def test_it_logs_the_draft_and_its_pdf(client_as, people, make_incident, monkeypatch):
    from incidents.views import gdpr

    monkeypatch.setattr(gdpr, "pdf_response", lambda *args, **kwargs: gdpr.HttpResponse("pdf"))
    incident = make_incident()
    client = client_as(people["koordinator"])
    client.get(reverse("incidents:draft", args=[incident.pk]))
    client.get(reverse("incidents:draft_pdf", args=[incident.pk]))
    assert sorted(incident.views.values_list("what", flat=True)) == ["draft", "draft_pdf"]


def test_a_refused_view_is_not_logged_and_the_log_is_not_for_everyone(
    client_as, people, make_incident
):
    incident = make_incident()
    url = reverse("incidents:view_log", args=[incident.pk])
    # The leader may read the incident but not who looked at it.
    assert client_as(people["boss"]).get(url).status_code == 403
    assert client_as(people["it"]).get(url).status_code == 403
    assert client_as(people["reporter"]).get(incident.get_absolute_url()).status_code == 403
    assert not ViewLogEntry.objects.exists()


def test_the_incident_page_links_to_the_log_only_for_its_readers(client_as, people, make_incident):
    incident = make_incident()
    url = reverse("incidents:view_log", args=[incident.pk])
    assert url in client_as(people["koordinator"]).get(incident.get_absolute_url()).content.decode()
    assert url not in client_as(people["boss"]).get(incident.get_absolute_url()).content.decode()
