"""The PDF export is bounded so that the largest allowed one finishes well inside the
web server's timeout: too many incidents are refused with what to do instead, and
long texts are shortened (issue 24, item 11)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from incidents.export import export_queryset, pdf_entries, shorten
from incidents.models import Incident


@pytest.fixture(autouse=True)
def bound(settings):
    settings.INCIDENT_PDF_EXPORT_MAX = 2
    settings.INCIDENT_PDF_TEXT_MAX_CHARS = 100


def test_it_refuses_a_pdf_of_more_incidents_than_the_bound_with_a_message(
    client_as, people, make_incident
):
    for _ in range(3):
        make_incident(kind="phishing")
    response = client_as(people["koordinator"]).get(
        reverse("incidents:export_pdf"), {"kind": "phishing"}
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "3" in html and "2" in html
    assert "Indsnævr filtrene" in html  # Danish: narrow the filters
    # The way out: the CSV of the same selection, and the log with the same filters.
    assert reverse("incidents:export_csv") + "?kind=phishing" in html
    assert reverse("incidents:log") + "?kind=phishing" in html


def test_it_exports_a_pdf_within_the_bound(client_as, people, make_incident):
    make_incident()
    make_incident()
    response = client_as(people["koordinator"]).get(reverse("incidents:export_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_it_shortens_long_texts_in_the_pdf(people, make_incident):
    make_incident(description="Ord " * 500)
    (entry,) = pdf_entries(export_queryset(Incident.objects.all()))
    texts = dict(entry.texts)
    what = next(value for value in texts.values() if value.startswith("Ord"))
    assert len(what) <= 102 and what.endswith("…")
    assert entry.shortened


def test_it_leaves_short_texts_alone():
    assert shorten("kort tekst", 100) == ("kort tekst", False)
    assert shorten("a" * 150, 100) == ("a" * 100 + " …", True)
