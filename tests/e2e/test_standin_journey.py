"""The 72-hour clock does not wait for a holiday: in a real browser (Chromium, phone
size, Danish), the systemkoordinator is away, and the deputy the directory named before
the absence began records the severity assessment and the decision. The draft for
Datatilsynet shows the controller block. axe-core checks every page (WCAG 2.1 AA).

All ORM work happens before the browser starts.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beredskab import timeline
from beredskab.models import Absence
from beredskab.plan import load_chains
from beredskab.roles import Role
from incidents.plan import load_kind_chains
from tests.conftest import CHROMIUM_ARGS
from tests.e2e.test_incident_journey import PHONE, assert_accessible, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def away(make_user, settings):
    from incidents.services.report import Report, report

    load_chains()
    load_kind_chains()
    settings.CONTROLLER_NAME = "Aabenraa Kommune"
    settings.CONTROLLER_CVR = "12345678"
    settings.CONTROLLER_ADDRESS = "Skelbækvej 2, 6200 Aabenraa"
    settings.CONTROLLER_CONTACT = "Kim K, systemkoordinator"
    settings.CONTROLLER_DPO = "Dorte DPO, DPO ApS"
    reporter = make_user(Role.MEDARBEJDER, username="e2e-reporter", name="Rikke Reporter")
    koordinator = make_user(
        Role.MEDARBEJDER, Role.SYSTEMKOORDINATOR, username="e2e-koordinator", name="Kim K"
    )
    deputy = make_user(Role.MEDARBEJDER, username="e2e-deputy", name="Sara Stedfortræder")
    now = timezone.now()
    person = koordinator.person
    person.deputy = deputy.person
    person.save(update_fields=["deputy"])
    # As the directory's form records it, two weeks before the holiday began.
    timeline.record(
        person,
        "person.updated",
        actor=koordinator,
        at=now - timedelta(days=14),
        data={"changed": ["deputy"]},
    )
    Absence.objects.create(
        person=person, starts_at=now - timedelta(days=2), ends_at=now + timedelta(days=12)
    )
    incident = report(
        reporter,
        Report(
            description="En mail med 3 borgeres adresser er sendt til en forkert modtager.",
            kind="misdirected",
            personal_data="yes",
        ),
    )
    return {"incident": incident.pk, "reference": incident.reference}


def test_the_deputy_records_the_assessment_and_decision_while_the_koordinator_is_away(
    live_server, away, chromium_path, allow_orm_beside_playwright
):
    from playwright.sync_api import sync_playwright

    base = live_server.url
    detail = base + reverse("incidents:detail", args=[away["incident"]])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=PHONE, locale="da-DK").new_page()
            log_in(page, base, "e2e-deputy", next_url=reverse("incidents:log"))
            assert_accessible(page, "the hændelseslog, as the deputy")
            page.locator("main table a", has_text=away["reference"]).click()
            page.wait_for_url(detail)
            assert "Kim K" in page.locator("main [role=note]").inner_text()
            assert_accessible(page, "the incident page, as the deputy")

            page.locator("main a", has_text="Vurdér alvorlighed").first.click()
            page.wait_for_url(re.compile(r".*/vurdering/$"))
            assert_accessible(page, "the severity assessment, as the deputy")
            page.locator("input[name=data_type][value='1']").check()
            page.locator("select[name=factor_1]").select_option("controller")
            page.locator("input[name=change_1]").fill("1")
            page.locator("textarea[name=reason_1]").fill("Adresserne hører til borgere i sager")
            page.locator("input[name=ei][value='1.00']").check()
            page.locator("input[name=cb_confidentiality][value='0.25']").check()
            page.locator("textarea[name=reasoning]").fill("Tre borgeres adresser til én modtager.")
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(re.compile(r".*/beslutning/$"))
            assert "Afgørende faktorer" in page.locator("main").inner_text()
            assert_accessible(page, "the decision page, as the deputy")

            # "Document only" without its reason is refused, in Danish, nothing saved.
            page.locator("input[name=decision][value=not_notify]").check()
            page.locator("textarea[name=rationale]").fill("Lav risiko")
            page.evaluate(
                "document.querySelectorAll('input[name=no_risk_reason]')"
                ".forEach(e => e.checked = false)"
            )
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
            assert "Kun dokumentation kræver en begrundelse" in page.locator("main").inner_text()
            assert_accessible(page, "the decision page with its error")

            page.locator("input[name=decision][value=notify]").check()
            page.locator("textarea[name=rationale]").fill("Anmeldes: risiko for de tre borgere.")
            page.locator("input[name=inform_subjects][value=no]").check()
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(detail)
            main = page.locator("main").inner_text()
            assert "Anmeld til Datatilsynet" in main
            assert "som stedfortræder for Kim K" in main

            page.goto(detail + "datatilsynet/")
            draft = page.locator("main").inner_text()
            for text in (
                "Den dataansvarlige",
                "Aabenraa Kommune",
                "12345678",
                "Skelbækvej 2, 6200 Aabenraa",
                "Dorte DPO, DPO ApS",
                "Grænseoverskridende brud",
            ):
                assert text in draft, text
            assert page.locator("main a[href*='datatilsynet.dk']").count() == 1
            assert_accessible(page, "the Datatilsynet draft, as the deputy")
        finally:
            browser.close()
