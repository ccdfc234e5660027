"""Training in a real browser (Chromium through Playwright), with axe-core on each page:
an employee sees their outstanding courses; the leader sees the department's compliance
rise after the systemkoordinator imports the e-learning platform's CSV export."""

from __future__ import annotations

import pytest
from django.urls import reverse

from beredskab.roles import Role
from tests.conftest import PASSWORD
from tests.e2e.support import PHONE, assert_accessible, launch
from training.models import Assignment
from training.plan import load_courses
from training.services.assignments import sync_assignments

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + reverse("login"))
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(base + reverse("home"))


def department_percent(page, department: str) -> int:
    row = page.locator("table").first.locator("tr", has_text=department)
    return int(row.locator("td").first.inner_text().strip().rstrip("%"))


def test_it_shows_courses_and_compliance_rising_after_an_import(
    live_server, make_user, department, chromium_path, allow_orm_beside_playwright
):
    # All ORM work happens before the browser starts.
    load_courses()
    make_user(Role.MEDARBEJDER, username="e2e-mette", name="Mette Medarbejder")
    boss = make_user(Role.MEDARBEJDER, Role.LEDER, username="e2e-leder", name="Lone Leder")
    department.leaders.add(boss.person)
    make_user(Role.MEDARBEJDER, Role.SYSTEMKOORDINATOR, username="e2e-koordinator")
    sync_assignments()
    phishing = Assignment.objects.get(person__name="Mette Medarbejder", course__key="phishing")
    export = (
        "E-mail;Kursus;Gennemført\r\n"
        "e2e-mette@example.invalid;Phishing: genkend falske mails og links;02-11-2026\r\n"
        "e2e-mette@example.invalid;Hjemmearbejde og arbejde uden for kontoret;03-11-2026\r\n"
        "e2e-leder@example.invalid;passwords-mfa;04-11-2026\r\n"
    ).encode("cp1252")
    base = live_server.url

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium_path)
        try:
            page = browser.new_context(viewport=PHONE, locale="da-DK").new_page()

            log_in(page, base, "e2e-mette")
            page.goto(base + reverse("training:index"))
            link = page.get_by_role("link", name="Phishing: genkend falske mails og links")
            assert link.get_attribute("href") == phishing.course.url
            assert page.locator("tbody tr").count() == 7
            assert_accessible(page, "My training")

            log_in(page, base, "e2e-leder")
            page.goto(base + reverse("training:compliance"))
            before = department_percent(page, department.name)
            assert_accessible(page, "the compliance overview")
            page.goto(base + reverse("training:record", args=[phishing.pk]))
            assert_accessible(page, "the completion form")

            log_in(page, base, "e2e-koordinator")
            page.goto(base + reverse("training:import"))
            assert_accessible(page, "the import form")
            page.locator("input[type=file]").set_input_files(
                files=[{"name": "mindzeed.csv", "mimeType": "text/csv", "buffer": export}]
            )
            page.locator("form.form button[type=submit]").click()
            page.wait_for_url(base + reverse("training:compliance"))
            assert page.locator(".message-success").count() == 1

            log_in(page, base, "e2e-leder")
            page.goto(base + reverse("training:compliance"))
            assert department_percent(page, department.name) > before

            log_in(page, base, "e2e-mette")
            page.goto(base + reverse("training:index"))
            assert page.locator("tbody tr").count() == 5
        finally:
            browser.close()
