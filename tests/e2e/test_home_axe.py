"""A real browser (Debian's Chromium through Playwright) logs in in Danish, and axe-core
checks the pages against WCAG 2.1 A and AA.

axe-core comes from the PyPI package axe-playwright-python; it is injected with
page.evaluate, which the strict Content-Security-Policy does not block.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from beredskab.models import InfoLink
from beredskab.roles import Role
from tests.conftest import PASSWORD
from tests.e2e.support import PHONE, assert_accessible, launch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/home-phone.png"


def test_it_logs_in_in_danish_and_passes_axe(
    live_server, make_user, chromium_path, allow_orm_beside_playwright
):
    # All ORM work happens before the browser starts.
    make_user(Role.MEDARBEJDER, username="e2e-employee", name="Mette Medarbejder")
    InfoLink.objects.create(
        key="e2e-policy",
        title="Informationssikkerhedspolitik",
        url="https://intranet.example/politik",
        guidance="Læs politikken, før du arbejder med personoplysninger.",
    )
    InfoLink.objects.create(key="e2e-phishing", title="Phishing", guidance="Klik ikke.")
    base = live_server.url

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium_path)
        try:
            context = browser.new_context(viewport=PHONE, locale="da-DK")
            page = context.new_page()
            csp_errors: list[str] = []
            page.on(
                "console",
                lambda msg: (
                    csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None
                ),
            )

            page.goto(base + reverse("home"))
            assert page.url.startswith(base + reverse("login"))
            assert page.locator("html").get_attribute("lang") == "da"
            assert_accessible(page, "the login page")

            page.get_by_label("Brugernavn").fill("e2e-employee")
            page.get_by_label("Adgangskode").fill(PASSWORD)
            page.locator("form.form button[type=submit]").click()
            page.wait_for_url(base + reverse("home"))

            assert page.locator("html").get_attribute("lang") == "da"
            assert "Mette Medarbejder" in page.locator("h1").inner_text()
            assert page.locator("main#main").count() == 1
            assert page.locator("nav.site-nav a[aria-current=page]").count() == 1
            assert_accessible(page, "the home page")
            page.screenshot(path=SCREENSHOT, full_page=True)

            # On the phone the menu is folded behind "Menu", so the page starts with its
            # content; the button opens and closes it, and says so to screen readers.
            menu = page.get_by_role("button", name="Menu")
            training = page.locator("nav.site-nav").get_by_role("link", name="E-læring")
            assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
            assert not training.is_visible()
            menu.click()
            assert menu.get_attribute("aria-expanded") == "true"
            assert training.is_visible()
            assert_accessible(page, "the home page with the menu open")
            menu.click()
            assert not training.is_visible()
            # A wider screen shows the menu and no button.
            page.set_viewport_size({"width": 1024, "height": 800})
            page.wait_for_function("document.querySelector('.menu-toggle').hidden")
            assert training.is_visible() and not menu.is_visible()
            page.set_viewport_size(PHONE)

            page.goto(base + reverse("infosec"))
            assert page.locator("h2", has_text="Informationssikkerhedspolitik").count() == 1
            assert_accessible(page, "the information-security page")

            page.goto(base + reverse("accessibility"))
            assert_accessible(page, "the accessibility statement")

            # The skip link is the first thing a keyboard reaches, and it is visible then.
            page.goto(base + reverse("home"))
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement.className")
            assert focused == "skip-link"

            assert not csp_errors, csp_errors
        finally:
            browser.close()
