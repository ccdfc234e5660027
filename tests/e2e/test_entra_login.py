"""Sign-in with Entra ID in a real browser (Chromium), through the real test OpenID
provider process (tests/oidc_provider/): an employee is let in without a second factor;
a systemkoordinator whose token lacks the proof is asked for the TOTP activated through
allauth.mfa, then let in; with the proof (the authentication context in `acrs`) the
systemkoordinator is let in directly."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from beredskab import entra
from beredskab.roles import Role
from tests.beredskab.test_entra_second_factor import current_code
from tests.e2e.support import PHONE, assert_accessible, launch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def entra_live(entra_settings, provider, live_server):
    provider.allow_redirect(live_server.url + "/accounts/oidc/entra/login/callback/")
    return live_server.url


def _sign_in_at_the_provider(page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    button = page.locator("#entra-login")
    assert button.inner_text().strip() == "Log ind med Aabenraa Kommunes konto"
    # The municipality's account is the first choice on the page.
    assert page.locator("main button").first.get_attribute("id") == "entra-login"
    button.click()
    page.get_by_label("Username").fill(username)
    page.get_by_role("button", name="Sign in").click()


def test_it_lets_an_employee_in_without_a_second_factor(
    entra_live, provider, make_user, chromium_path, allow_orm_beside_playwright
):
    user = make_user(Role.MEDARBEJDER, username="e2e-entra-employee", name="Emma Entra")
    entra.link(user, provider.add_user("e2e-entra-employee"))

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium_path)
        try:
            page = browser.new_context(viewport=PHONE, locale="da-DK").new_page()
            page.goto(entra_live + reverse("login"))
            assert_accessible(page, "the login page with Entra ID")
            _sign_in_at_the_provider(page, entra_live, "e2e-entra-employee")
            page.wait_for_url(entra_live + reverse("home"))
            assert "Emma Entra" in page.locator("h1").inner_text()
        finally:
            browser.close()


def test_it_asks_a_systemkoordinator_without_proof_for_totp(
    entra_live, provider, make_user, chromium_path, allow_orm_beside_playwright
):
    user = make_user(
        Role.MEDARBEJDER, Role.SYSTEMKOORDINATOR, username="e2e-entra-kk", name="Kaj Koordinator"
    )
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    entra.link(user, provider.add_user("e2e-entra-kk"))

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium_path)
        try:
            page = browser.new_context(viewport=PHONE, locale="da-DK").new_page()
            _sign_in_at_the_provider(page, entra_live, "e2e-entra-kk")
            page.wait_for_url(entra_live + reverse("mfa_authenticate"))
            page.locator("input[name=code]").fill(current_code(secret))
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_url(entra_live + reverse("home"))
            assert "Kaj Koordinator" in page.locator("h1").inner_text()
        finally:
            browser.close()


def test_it_lets_a_proven_systemkoordinator_in_directly(
    entra_live, provider, make_user, chromium_path, allow_orm_beside_playwright
):
    user = make_user(
        Role.MEDARBEJDER, Role.SYSTEMKOORDINATOR, username="e2e-entra-kk2", name="Karin Kontekst"
    )
    TOTP.activate(user, generate_totp_secret())
    entra.link(user, provider.add_user("e2e-entra-kk2", acrs=["c1"]))

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium_path)
        try:
            page = browser.new_context(viewport=PHONE, locale="da-DK").new_page()
            _sign_in_at_the_provider(page, entra_live, "e2e-entra-kk2")
            page.wait_for_url(entra_live + reverse("home"))
            assert "Karin Kontekst" in page.locator("h1").inner_text()
        finally:
            browser.close()
