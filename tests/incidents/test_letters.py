"""Letters to the people affected (art. 34): the text, the list, the PDF, "sent"."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from beredskab import timeline
from incidents.models import LetterRecipient, LetterText, ViewLogEntry

THREE = (
    "navn;adresse;postnr;by\n"
    "Åse Ærlig;Søndergade 1;8000;Århus C\n"
    "Bjørn Østergård;Vænget 2;5000;Odense C\n"
    "Carl Ølund;Kærvej 3;9000;Aalborg\n"
)
TEXT = {
    "what_happened": "En medarbejder sendte et brev til en forkert modtager.",
    "consequences": "Andre kan have set dit navn og din adresse.",
    "measures": "Vi har bedt modtageren slette brevet.",
    "advice": "Vær opmærksom på mistænkelige henvendelser.",
    "contact": "Databeskyttelsesrådgiveren, dpo@kommune.example",
    "public_communication": "",
}


@pytest.fixture
def incident(make_incident):
    return make_incident()


def url(name, incident, **kwargs):
    return reverse(f"incidents:{name}", kwargs={"pk": incident.pk, **kwargs})


def upload(text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("liste.csv", text.encode(encoding), content_type="text/csv")


def test_it_offers_a_draft_from_the_facts_and_saves_the_text(client_as, people, incident):
    client = client_as(people["koordinator"])
    page = client.get(url("letters", incident))
    assert page.status_code == 200
    assert page.context["text_form"].initial["what_happened"]
    response = client.post(url("letters_text", incident), TEXT)
    assert response.status_code == 302
    letter = LetterText.objects.get(incident=incident)
    assert letter.contact == TEXT["contact"]
    assert "letters.text_saved" in [e.kind for e in timeline.events_for(incident)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_it_imports_a_list_in_any_danish_encoding(client_as, people, incident, encoding):
    response = client_as(people["koordinator"]).post(
        url("letters_import", incident), {"file": upload(THREE, encoding)}
    )
    assert response.status_code == 302
    names = list(incident.letter_recipients.values_list("name", "address"))
    assert names[0] == ("Åse Ærlig", "Søndergade 1\n8000 Århus C")
    assert len(names) == 3
    (event,) = [e for e in timeline.events_for(incident) if e.kind == "letters.list_imported"]
    assert event.data == {"count": 3}  # no names on the timeline


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (";Vænget 2;5000;Odense C", "Række 3: navnet mangler"),
        ("Bo Bo;;;", "Række 3: adressen mangler"),
    ],
)
def test_a_row_without_name_or_address_saves_nothing(client_as, people, incident, row, message):
    text = "navn;adresse;postnr;by\nÅse Ærlig;Søndergade 1;8000;Århus C\n" + row + "\n"
    response = client_as(people["koordinator"]).post(
        url("letters_import", incident), {"file": upload(text)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LetterRecipient.objects.exists()


def test_it_records_when_and_how_the_letters_were_sent(client_as, people, incident):
    client = client_as(people["koordinator"])
    client.post(url("letters_import", incident), {"file": upload(THREE)})
    today = timezone.localdate()
    response = client.post(
        url("letters_sent", incident), {"sent_on": today.isoformat(), "via": "digital_post"}
    )
    assert response.status_code == 302
    assert set(incident.letter_recipients.values_list("sent_on", "sent_via")) == {
        (today, "digital_post")
    }
    future = today.replace(year=today.year + 1)
    bad = client.post(
        url("letters_sent", incident), {"sent_on": future.isoformat(), "via": "paper"}
    )
    assert bad.status_code == 400


def test_letters_are_read_like_the_incident_and_changed_by_its_managers(
    client_as, people, incident
):
    assert client_as(people["boss"]).get(url("letters", incident)).status_code == 200
    assert client_as(people["reporter"]).get(url("letters", incident)).status_code == 403
    denied = client_as(people["boss"]).post(
        url("letters_import", incident), {"file": upload(THREE)}
    )
    assert denied.status_code == 403
    assert not LetterRecipient.objects.exists()
    assert set(ViewLogEntry.objects.values_list("what", flat=True)) == {"letters"}


def test_the_pdf_has_one_letter_per_person_each_on_its_own_page(client_as, people, incident):
    if not shutil.which("pdftotext"):
        from tests.conftest import need

        need(False, "pdftotext is not installed")
    client = client_as(people["koordinator"])
    client.post(url("letters_text", incident), TEXT)
    client.post(url("letters_import", incident), {"file": upload(THREE)})
    response = client.get(url("letters_pdf", incident, part=1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) == 3
    for page, name in zip(pages, ["Åse Ærlig", "Bjørn Østergård", "Carl Ølund"], strict=True):
        assert page.lstrip().startswith(name)
        assert f"Kære {name}" in page
        assert TEXT["measures"] in page
    assert "letters_pdf" in ViewLogEntry.objects.values_list("what", flat=True)
