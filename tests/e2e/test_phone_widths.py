"""Every page named in issue 21 fits a phone: at 390 and at 320 CSS px nothing is wider
than the screen (scrollWidth <= clientWidth), and an incident's reference such as
H-2026-00003 does not wrap after "H-"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from beredskab.models import InfoLink, OutboxMessage
from beredskab.roles import Role
from tests.conftest import PASSWORD
from tests.e2e.support import launch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 320)
LONG_TITLE = "Informationssikkerhedspolitik og tilhørende regler for databeskyttelse"


def _log_in(page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(base + reverse("home"))


def _overflow(page) -> tuple[int, int]:
    return page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


def _widest(page) -> list[str]:
    """The elements that reach past the right edge (for the failure message)."""
    return page.evaluate(
        """() => {
          const edge = document.documentElement.clientWidth;
          return [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > edge + 0.5)
            .slice(0, 8)
            .map(e => e.tagName + '.' + e.className + '#' + e.id + ' '
                      + Math.round(e.getBoundingClientRect().right));
        }"""
    )


def test_the_named_pages_fit_a_phone(
    live_server, make_user, chromium_path, allow_orm_beside_playwright, settings
):
    settings.SMS_BACKEND = "console"  # /demo/sms/ exists in the demo (DJANGO_ENV=demo)
    admin = make_user(Role.MEDARBEJDER, Role.SYSTEMKOORDINATOR, Role.ADMIN, username="e2e-admin")
    admin.email = "a.very-long.name-for-an-address@beskaeftigelse-og-borgerservice.example.invalid"
    admin.save(update_fields=["email"])
    link = InfoLink.objects.create(key="e2e-long", title=LONG_TITLE, guidance="Læs den.")
    OutboxMessage.objects.create(
        channel="sms",
        recipient=str(admin.person.mobile),
        person=admin.person,
        body="Kvittér her: " + live_server.url + "/a/" + "x" * 60 + "/ " + "Databrud" * 12,
        idempotency_key="e2e-phone-sms",
    )
    pages = {
        "the infosec editor": reverse("infosec_edit", args=[link.pk]),
        "the accessibility statement": reverse("accessibility"),
        "the demo SMS list": reverse("demo_sms"),
        "the front page": reverse("home"),
        "my account (tables of sessions and logins)": reverse("my_account"),
        "the media list": reverse("broadcast:media"),
        "the report form (a file field)": reverse("incidents:index"),
        "the e-mail address page": reverse("account_email"),
        "a 404 page": "/findes-ikke/",
    }
    base = live_server.url

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium_path)
        try:
            for width in WIDTHS:
                context = browser.new_context(
                    viewport={"width": width, "height": 640}, locale="da-DK"
                )
                page = context.new_page()
                _log_in(page, base, "e2e-admin")
                for what, path in pages.items():
                    page.goto(base + path)
                    assert page.locator("h1").count() == 1, what
                    scroll, client = _overflow(page)
                    assert scroll <= client, (
                        f"{what} is {scroll} px wide at {width} px: {_widest(page)}"
                    )
                context.close()
        finally:
            browser.close()


def test_a_reference_does_not_wrap_after_h(live_server, chromium_path):
    # The reference's class keeps it on one line wherever it is shown.
    from playwright.sync_api import sync_playwright

    html = (
        '<link rel="stylesheet" href="/static/css/portal.css">'
        '<p style="width:5ch"><span class="ref" id="r">H-2026-00003</span></p>'
    )
    with sync_playwright() as p:
        browser = launch(p, chromium_path)
        try:
            page = browser.new_page(viewport={"width": 320, "height": 640})
            page.goto(live_server.url + "/healthz")
            page.set_content(html.replace('href="/', f'href="{live_server.url}/'))
            page.wait_for_load_state("load")
            rects = page.evaluate("() => document.getElementById('r').getClientRects().length")
            assert rects == 1
        finally:
            browser.close()
