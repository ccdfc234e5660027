"""The emergency mode in a real browser (Chromium), on a phone-sized screen, with the
real twilio client talking to the fake Twilio server (tests/fakes/twilio_server.py):

- test_it_signs_in_by_sms_code_and_reports_an_incident: the mode is on; an employee
  follows "Log ind med SMS-kode" from the login page, gets the code by SMS (read at the
  fake Twilio server), signs in with it and reports an incident;
- test_it_tells_the_systemkoordinator_of_a_break_glass_login: the break-glass account
  logs in with its password and its TOTP; the notice arrives at the fake Twilio server.

Tasks run eagerly in the live server's thread (no worker needed, runs on SQLite). All
ORM set-up happens before the browser starts.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from beredskab import breakglass, emergency
from beredskab.plan import load_chains
from beredskab.roles import Role
from incidents.plan import load_kind_chains
from tests.conftest import PASSWORD
from tests.e2e.support import PHONE, assert_accessible, launch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMPLOYEE_MOBILE = "+4521990201"
KOORDINATOR_MOBILE = "+4521990202"
BREAK_GLASS_MOBILE = "+4521990203"
CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture
def fake_twilio(settings, live_server):
    from tests.fakes import FakeTwilio

    with FakeTwilio(send_callbacks=False) as fake:
        for name, value in fake.settings().items():
            setattr(settings, name, value)
        settings.BASE_URL = live_server.url
        yield fake


@pytest.fixture
def people(make_user, department):
    load_chains()
    load_kind_chains()
    make_user(
        Role.MEDARBEJDER,
        username="e2e-medarbejder",
        name="Mette Medarbejder",
        mobile=EMPLOYEE_MOBILE,
    )
    leader = make_user(Role.MEDARBEJDER, Role.LEDER, username="e2e-leder", name="Lars Leder")
    department.leaders.add(leader.person)
    make_user(
        Role.MEDARBEJDER,
        Role.SYSTEMKOORDINATOR,
        username="e2e-koordinator",
        name="Kim Koordinator",
        mobile=KOORDINATOR_MOBILE,
    )
    admin = make_user(
        Role.ADMIN, username="e2e-noedkonto", name="Nødkonto", mobile=BREAK_GLASS_MOBILE
    )
    breakglass.add(admin.username, label="Boks A", actor="e2e")
    return admin


def new_page(browser):
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    return context.new_page()


def test_it_signs_in_by_sms_code_and_reports_an_incident(
    live_server, fake_twilio, people, chromium_path, allow_orm_beside_playwright
):
    from playwright.sync_api import sync_playwright

    emergency.switch_on(hours=2, reason="Entra ID er nede", by="e2e")
    base = live_server.url
    with sync_playwright() as p:
        browser = launch(p, chromium_path)
        try:
            page = new_page(browser)
            page.goto(base + reverse("login"))
            assert page.locator(".banner-emergency").count() == 1
            page.get_by_role("link", name="Log ind med SMS-kode").click()
            page.wait_for_url(re.compile(r".*/accounts/sms/$"))
            assert_accessible(page, "the SMS sign-in page")
            page.locator("input[name=identifier]").fill("e2e-medarbejder")
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(re.compile(r".*/accounts/sms/kode/$"))
            assert_accessible(page, "the code page")

            arrived = fake_twilio.wait_for(
                lambda msgs: any(m.to == EMPLOYEE_MOBILE for m in msgs), 30
            )
            assert arrived, "no code reached the fake Twilio server"
            code = CODE.search(fake_twilio.to(EMPLOYEE_MOBILE)[-1].body).group(1)
            page.locator("input[name=code]").fill(code)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(base + reverse("home"))
            assert "Mette Medarbejder" in page.locator("footer").inner_text()

            page.goto(base + reverse("incidents:report"))
            page.locator("textarea[name=description]").fill(
                "Fagsystemet er nede, og borgere kan ikke få svar. Entra ID er også nede."
            )
            page.locator("input[name=kind][value=suspected_breach]").check()
            page.locator("input[name=personal_data][value=no]").check()
            page.locator("input[name=ongoing][value=yes]").check()
            page.locator("form.form button[type=submit]").click()
            page.wait_for_url(re.compile(r".*/kvittering/$"))
            assert page.locator(".reference").inner_text().startswith("H-")
        finally:
            browser.close()


def test_it_tells_the_systemkoordinator_of_a_break_glass_login(
    live_server, fake_twilio, people, chromium_path, allow_orm_beside_playwright, settings
):
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )
    from playwright.sync_api import sync_playwright

    # allauth.mfa's pages, as the mfa package exposes them: the second factor is asked.
    settings.ROOT_URLCONF = "tests.beredskab.emergency.urls_with_mfa"
    secret = generate_totp_secret()
    TOTP.activate(people, secret)
    base = live_server.url
    with sync_playwright() as p:
        browser = launch(p, chromium_path)
        try:
            page = new_page(browser)
            page.goto(base + reverse("login"))
            page.locator("input[name=login]").fill("e2e-noedkonto")
            page.locator("input[name=password]").fill(PASSWORD)
            page.locator("form.form button[type=submit]").click()
            page.wait_for_load_state()
            # Asked for the second factor; nobody is told before it is given.
            code_field = page.locator("input[name=code]")
            assert code_field.count() == 1, page.url
            assert not fake_twilio.to(KOORDINATOR_MOBILE)
            counters = list(yield_hotp_counters_from_time())
            code_field.fill(format_hotp_value(hotp_value(secret, counters[len(counters) // 2])))
            code_field.press("Enter")  # submits the code's own form (allauth.mfa's page)
            page.wait_for_url(base + reverse("home"))

            arrived = fake_twilio.wait_for(
                lambda msgs: any(m.to == KOORDINATOR_MOBILE for m in msgs), 30
            )
            assert arrived, "the break-glass notice did not reach the fake Twilio server"
            notice = fake_twilio.to(KOORDINATOR_MOBILE)[0].body
            assert "e2e-noedkonto" in notice
            assert "nødkontoen" in notice
        finally:
            browser.close()
