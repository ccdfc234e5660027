"""The Datatilsynet draft (page and PDF) and the log's CSV and PDF exports."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

from django.urls import reverse

from incidents.export import neutralise
from incidents.services.gdpr import update_facts
from tests.conftest import need


def pdf_text(content: bytes, tmp_path) -> str:
    need(shutil.which("pdftotext") is not None, "pdftotext is not installed")
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def prepared(make_incident, people):
    incident = make_incident(description="Brev med helbredsoplysninger sendt til naboen")
    update_facts(
        incident,
        actor=people["koordinator"],
        data_categories="Helbredsoplysninger",
        subject_categories="Borgere i jobcenteret",
        records_affected="ca. 40",
        consequences="Risiko for krænkelse af privatlivet",
        measures="Naboen har returneret brevet",
    )
    return incident


def test_it_arranges_the_facts_as_the_notification_asks(client_as, people, make_incident):
    incident = prepared(make_incident, people)
    response = client_as(people["koordinator"]).get(reverse("incidents:draft", args=[incident.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        incident.reference,
        "Brev med helbredsoplysninger",
        "Borgere i jobcenteret",
        "ca. 40",
        "Risiko for krænkelse",
        "Naboen har returneret brevet",
        people["dpo"].person.name,
        "DPO ApS",
    ):
        assert text in html, text


def test_it_makes_the_draft_as_a_pdf(client_as, people, make_incident, tmp_path):
    incident = prepared(make_incident, people)
    response = client_as(people["dpo"]).get(reverse("incidents:draft_pdf", args=[incident.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content, tmp_path)
    assert incident.reference in text
    assert "Naboen har returneret brevet" in text
    assert "helbredsoplysninger" in text


def test_it_hides_the_draft_from_employees(client_as, people, make_incident):
    incident = make_incident()
    url = reverse("incidents:draft", args=[incident.pk])
    assert client_as(people["reporter"]).get(url).status_code == 403


def test_it_neutralises_formulas():
    assert neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    for start in "+-@":
        assert neutralise(f"{start}1") == f"'{start}1"
    assert neutralise("\t=1") == "'\t=1"
    assert neutralise("Almindelig tekst") == "Almindelig tekst"


def test_it_exports_the_log_as_csv_with_formulas_neutralised(client_as, people, make_incident):
    make_incident(description="=cmd|' /C calc'!A0")
    make_incident(description="Phishing", kind="phishing")
    response = client_as(people["koordinator"]).get(reverse("incidents:export_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(content)))
    assert len(table) == 3
    descriptions = {row[-1] for row in table[1:]}
    assert "'=cmd|' /C calc'!A0" in descriptions
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)


def test_it_exports_only_what_the_filters_select(client_as, people, make_incident):
    make_incident(kind="phishing")
    make_incident(kind="lost_device")
    response = client_as(people["koordinator"]).get(
        reverse("incidents:export_csv"), {"kind": "lost_device"}
    )
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(content)))) == 2


def test_it_exports_the_log_as_pdf(client_as, people, make_incident, tmp_path):
    incident = make_incident()
    response = client_as(people["it"]).get(reverse("incidents:export_pdf"))
    assert response.status_code == 200
    assert incident.reference in pdf_text(response.content, tmp_path)


def test_it_refuses_exports_to_employees(client_as, people):
    for name in ("incidents:export_csv", "incidents:export_pdf"):
        assert client_as(people["reporter"]).get(reverse(name)).status_code == 403


def test_it_exports_in_a_fixed_number_of_queries(client_as, people, make_incident):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(people["koordinator"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("incidents:export_csv"))
            b"".join(response.streaming_content)
        return len(captured)

    make_incident()
    few = queries()
    for _ in range(5):
        make_incident()
    assert queries() == few


def test_the_draft_carries_the_controller_block_from_settings(
    client_as, people, make_incident, settings
):
    settings.CONTROLLER_NAME = "Eksempel Kommune"
    settings.CONTROLLER_CVR = "12345678"
    settings.CONTROLLER_ADDRESS = "Rådhustorvet 1, 9999 Eksempelby"
    settings.CONTROLLER_CONTACT = "Kim Kontakt, 70 00 00 00, kim@example.invalid"
    settings.CONTROLLER_DPO = "Dorte DPO, DPO ApS, dpo@example.invalid"
    settings.DATATILSYNET_FORM_URL = "https://filing.example.invalid/anmeld"
    incident = prepared(make_incident, people)
    update_facts(incident, actor=people["koordinator"], risk={"cross_border": "no"})
    client = client_as(people["koordinator"])
    client.cookies["django_language"] = "da"
    html = client.get(reverse("incidents:draft", args=[incident.pk])).content.decode()
    for text in (
        "Den dataansvarlige",
        "Eksempel Kommune",
        "12345678",
        "Rådhustorvet 1, 9999 Eksempelby",
        "Kim Kontakt, 70 00 00 00",
        "Dorte DPO, DPO ApS",
        "Grænseoverskridende brud",
        'href="https://filing.example.invalid/anmeld"',
    ):
        assert text in html, text


def test_the_draft_says_which_controller_settings_are_missing(
    client_as, people, make_incident, settings
):
    settings.CONTROLLER_CVR = ""
    incident = prepared(make_incident, people)
    html = client_as(people["koordinator"]).get(reverse("incidents:draft", args=[incident.pk]))
    assert "CONTROLLER_CVR" in html.content.decode()
