"""Letters to the people affected, in a real browser (Chromium) on a phone-sized screen.

The systemkoordinator opens the letters of an incident, saves the drafted letter,
uploads the list of three people (Windows-1252, as older Excel saves it), records
that they were sent by Digital Post and fetches the PDF: three letters, each on its
own page (checked with pdftotext). The DPO then finds those views in the incident's
view log. axe-core checks every page (WCAG 2.1 AA).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from beredskab.roles import Role
from tests.conftest import need
from tests.e2e.support import PHONE, assert_accessible, launch
from tests.e2e.test_incident_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PEOPLE = ["Åse Ærlig", "Bjørn Østergård", "Carl Ølund"]
LIST = (
    "navn;adresse;postnr;by\r\n"
    "Åse Ærlig;Søndergade 1;8000;Århus C\r\n"
    "Bjørn Østergård;Vænget 2;5000;Odense C\r\n"
    "Carl Ølund;Kærvej 3;9000;Aalborg\r\n"
).encode("cp1252")


@pytest.fixture
def letters_incident(make_user):
    from incidents.services.report import Report, report

    reporter = make_user(Role.MEDARBEJDER, username="e2e-reporter", name="Rikke Reporter")
    make_user(Role.MEDARBEJDER, Role.SYSTEMKOORDINATOR, username="e2e-koordinator", name="Kim K")
    make_user(Role.EKSTERN_DPO, username="e2e-dpo", name="Dorte DPO", external_organisation="DPO")
    facts = Report(description="Brev til forkert modtager", personal_data="yes")
    incident = report(reporter, facts)
    return incident.pk


def test_the_letters_pdf_has_one_page_per_person(
    live_server, letters_incident, chromium_path, allow_orm_beside_playwright
):
    need(shutil.which("pdftotext") is not None, "pdftotext is not installed")
    from playwright.sync_api import sync_playwright

    base = live_server.url
    letters_url = base + reverse("incidents:letters", args=[letters_incident])
    with sync_playwright() as p:
        browser = launch(p, chromium_path)
        try:
            context = browser.new_context(viewport=PHONE, locale="da-DK")
            page = context.new_page()
            log_in(page, base, "e2e-koordinator")
            page.goto(letters_url)
            assert_accessible(page, "the letters page")
            # The letter is drafted from the incident's facts; say what happened.
            page.locator("textarea[name=what_happened]").fill(
                "Den 1. december blev et brev med dine oplysninger sendt til en forkert modtager."
            )
            page.locator("form[action$='/breve/tekst/'] button[type=submit]").click()
            page.wait_for_url(letters_url)
            # A row without an address would refuse the whole list; this one is whole.
            page.locator("input[name=file]").set_input_files(
                {"name": "berorte.csv", "mimeType": "text/csv", "buffer": LIST}
            )
            page.locator("form[action$='/breve/liste/'] button[type=submit]").click()
            page.wait_for_url(letters_url)
            table = page.locator("main table").inner_text()
            assert all(name in table for name in PEOPLE)
            assert_accessible(page, "the letters page with its list")
            page.locator("select[name=via]").select_option("digital_post")
            page.locator("form[action$='/breve/sendt/'] button[type=submit]").click()
            page.wait_for_url(letters_url)
            assert page.locator("main table").inner_text().count("Digital Post") == 3
            assert_accessible(page, "the letters page after sending")

            pdf_href = page.locator("a[href$='/breve/1.pdf']").get_attribute("href")
            response = context.request.get(base + pdf_href)
            assert response.ok and response.headers["content-type"] == "application/pdf"
            text = subprocess.run(
                ["pdftotext", "-layout", "-", "-"],
                input=response.body(),
                capture_output=True,
                check=True,
                timeout=60,
            ).stdout.decode()
            pages = [page_text for page_text in text.split("\f") if page_text.strip()]
            assert len(pages) == 3
            for page_text, name in zip(pages, PEOPLE, strict=True):
                assert page_text.lstrip().startswith(name)
                assert "forkert modtager" in page_text
                assert all(other not in page_text for other in PEOPLE if other != name)

            # The DPO sees who looked.
            dpo = browser.new_context(viewport=PHONE, locale="da-DK").new_page()
            log_in(dpo, base, "e2e-dpo")
            dpo.goto(base + reverse("incidents:view_log", args=[letters_incident]))
            log_text = dpo.locator("main table").inner_text()
            assert "Kim K" in log_text and "Breve (PDF)" in log_text
            assert_accessible(dpo, "the view log")
        finally:
            browser.close()
