"""The outages journey in a real browser (Debian's Chromium through Playwright): IT
declares a system outage, the systemkoordinator records the supplier's ETA, an
employee reads it on the status page on a phone; a leader declares a power outage and
two roles tick the checklist in two browsers, each seeing the other's tick.
axe-core checks every page against WCAG 2.1 A and AA.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beredskab.models import Supplier, System
from beredskab.plan import load_chains
from beredskab.roles import Role
from outages.models import ItemState, PowerOutage, RunItem, SystemOutage
from outages.plan import load_appendix_1, load_power_playbook
from tests.conftest import PASSWORD
from tests.e2e.support import PHONE, assert_accessible, launch
from tests.fakes import FakeTwilio

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
LINK = re.compile(r"(https?://\S+/a/[A-Za-z0-9_-]+/)")


@pytest.fixture
def fake_twilio(settings, live_server):
    """SMS go through the real twilio client to a fake Twilio server; links point here."""
    with FakeTwilio(send_callbacks=False) as fake:
        for name, value in fake.settings().items():
            setattr(settings, name, value)
        settings.BASE_URL = live_server.url
        yield fake


@pytest.fixture
def roles_exist(db):
    from django.contrib.contenttypes.models import ContentType

    from beredskab.roles import sync_roles

    ContentType.objects.clear_cache()
    sync_roles()


@pytest.fixture
def allow_orm_beside_playwright(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _log_in(context, base: str, username: str):
    page = context.new_page()
    page.goto(base + reverse("login"))
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(base + reverse("home"))
    return page


def test_it_runs_a_system_and_a_power_outage(
    live_server, roles_exist, make_user, chromium_path, allow_orm_beside_playwright, fake_twilio
):
    make_user(Role.MEDARBEJDER, Role.IT, username="e2e-it")
    make_user(Role.MEDARBEJDER, Role.SYSTEMKOORDINATOR, username="e2e-sk")
    make_user(Role.MEDARBEJDER, username="e2e-employee")
    make_user(Role.MEDARBEJDER, Role.LEDER, username="e2e-leader")
    make_user(Role.MEDARBEJDER, Role.FRONTDESK, username="e2e-frontdesk")
    group_member = make_user(Role.MEDARBEJDER, Role.BEREDSKABSGRUPPE, username="e2e-group").person
    group_mobile = str(group_member.mobile)
    supplier = Supplier.objects.create(name="Netcompany", support_phone="+4570131000")
    sbsys = System.objects.create(name="SBSYS", supplier=supplier, outage_impact="Ingen afgørelser")
    load_chains()
    load_power_playbook()
    load_appendix_1()
    eta = timezone.localtime() + timedelta(hours=3)
    base = live_server.url

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium_path)
        try:
            # IT reports and declares the outage against SBSYS.
            it = _log_in(browser.new_context(viewport=DESKTOP, locale="da-DK"), base, "e2e-it")
            it.goto(base + reverse("outages:report"))
            assert_accessible(it, "the report form")
            it.locator("#id_system").select_option(str(sbsys.pk))
            it.locator("#id_description").fill("SBSYS svarer ikke")
            it.locator("form.form button[type=submit]").click()
            it.wait_for_selector("form[action$='/erklaer/']")
            assert_accessible(it, "a reported outage")
            declare = it.locator("form[action$='/erklaer/']")
            declare.locator(f"input[name=down][value='{sbsys.pk}']").check()
            declare.locator("button[type=submit]").click()
            it.wait_for_selector("form[action$='/leverandoer/']")
            assert it.locator("a[href='tel:+4570131000']").count() == 1
            assert_accessible(it, "a declared outage")

            # The systemkoordinator records that the supplier was contacted, with an ETA.
            sk = _log_in(browser.new_context(viewport=DESKTOP, locale="da-DK"), base, "e2e-sk")
            outage = SystemOutage.objects.get()
            sk.goto(base + outage.get_absolute_url())
            contact = sk.locator("form[action$='/leverandoer/']")
            contact.locator("#id_contact-eta").fill(eta.strftime("%Y-%m-%dT%H:%M"))
            contact.locator("#id_contact-note").fill("Netcompany genstarter serveren")
            contact.locator("button[type=submit]").click()
            sk.wait_for_selector(".eta-history")
            assert_accessible(sk, "an outage with its ETA")

            # An employee on a phone sees it on the status page.
            phone = _log_in(
                browser.new_context(viewport=PHONE, locale="da-DK"), base, "e2e-employee"
            )
            phone.goto(base + reverse("outages:index"))
            card = phone.locator(f"#outage-{outage.pk}")
            assert "SBSYS" in card.inner_text()
            assert eta.strftime("%H:%M") in card.inner_text()
            assert "Netcompany genstarter serveren" in card.inner_text()
            assert_accessible(phone, "the status page on a phone")

            # A leader declares a power outage.
            leader = _log_in(
                browser.new_context(viewport=DESKTOP, locale="da-DK"), base, "e2e-leader"
            )
            leader.goto(base + reverse("outages:power_declare"))
            assert_accessible(leader, "the power outage form")
            leader.locator("#id_title").fill("Ingen strøm på rådhuset")
            leader.locator("#id_meeting_point").fill("P-pladsen ved indgang A")
            leader.locator("form.form button[type=submit]").click()
            leader.wait_for_selector("#checklist")
            assert_accessible(leader, "the power outage's checklist")
            power = PowerOutage.objects.get()

            # The preparedness group's SMS arrives at the fake Twilio server, and one of
            # them confirms through the link on a phone.
            assert fake_twilio.wait_for(
                lambda msgs: any(m.to == group_mobile for m in msgs), timeout=30
            )
            sms = fake_twilio.to(group_mobile)[0]
            assert "P-pladsen ved indgang A" in sms.body
            confirm = browser.new_context(viewport=PHONE, locale="da-DK").new_page()
            confirm.goto(LINK.search(sms.body).group(1))
            assert_accessible(confirm, "the preparedness group's confirmation link")
            confirm.locator("main form button[type=submit]").click()
            confirm.wait_for_selector("[role=status]")
            front_item = power.items.get(owner_role=Role.FRONTDESK)
            group_item = power.items.filter(owner_role=Role.BEREDSKABSGRUPPE).first()

            # Two roles tick in two browsers; each sees the other's tick by polling.
            front = _log_in(
                browser.new_context(viewport=PHONE, locale="da-DK"), base, "e2e-frontdesk"
            )
            group = _log_in(browser.new_context(viewport=PHONE, locale="da-DK"), base, "e2e-group")
            front.goto(base + power.get_absolute_url())
            group.goto(base + power.get_absolute_url())
            front.locator(f"#item-{front_item.pk} button[type=submit]").click()
            front.wait_for_selector(f"#item-{front_item.pk}.item-done")
            group.locator(f"#item-{group_item.pk} button[type=submit]").click()
            group.wait_for_selector(f"#item-{group_item.pk}.item-done")
            group.wait_for_selector(f"#item-{front_item.pk}.item-done")
            front.wait_for_selector(f"#item-{group_item.pk}.item-done", timeout=20_000)
            assert_accessible(front, "the checklist on a phone")
            leader.goto(base + reverse("outages:appendix"))
            assert_accessible(leader, "Appendix 1")
            leader.goto(base + reverse("outages:playbooks"))
            leader.locator("main a").first.click()
            assert_accessible(leader, "a playbook")
        finally:
            browser.close()

    first_step = power.run.steps.order_by("position").first()
    assert first_step.acknowledged_by == group_member
    states = dict(RunItem.objects.filter(state=ItemState.DONE).values_list("pk", "done_by_text"))
    assert set(states) == {front_item.pk, group_item.pk}
