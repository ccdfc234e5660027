"""The whole incident journey in a real browser (Chromium), on a phone-sized screen.

An employee reports a suspected breach; the leader gets the SMS, opens its link,
acknowledges and ticks the checklist; the systemkoordinator assesses the severity,
records the decision to notify, sees the 72-hour clock, opens the Datatilsynet draft
and finds the incident in the hændelseslog. axe-core checks every page (WCAG 2.1 AA).

Two ways the SMS travels:
- test_it_walks_the_journey_with_a_real_worker: PostgreSQL, a private redis-server, a
  real Celery worker and the real twilio client talking to the fake Twilio server
  (skips without PostgreSQL; fails instead under REQUIRE_SERVICES=1);
- test_it_walks_the_journey_with_eager_tasks: everything in-process, the locmem SMS
  backend standing in for Twilio (runs everywhere).

All ORM work happens before the browser starts: the journey reads what it needs
(the reference, the links) from the pages and from the SMS.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.urls import reverse

from beredskab.plan import load_chains
from beredskab.roles import Role
from incidents.plan import load_kind_chains
from tests.conftest import CHROMIUM_ARGS, PASSWORD, need

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
ACK_LINK = re.compile(r"https?://\S+/a/[A-Za-z0-9_-]{1,32}/")
LEADER_MOBILE = "+4521990101"


@pytest.fixture
def allow_orm_beside_playwright(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the live server's
    # thread (and the fixtures' teardown) still use the ORM synchronously.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def journey_people(make_user, department):
    load_chains()
    load_kind_chains()
    make_user(Role.MEDARBEJDER, username="e2e-reporter", name="Rikke Reporter")
    leader = make_user(
        Role.MEDARBEJDER, Role.LEDER, username="e2e-leader", name="Lars Leder", mobile=LEADER_MOBILE
    )
    department.leaders.add(leader.person)
    make_user(Role.MEDARBEJDER, Role.SYSTEMKOORDINATOR, username="e2e-koordinator", name="Kim K")
    make_user(Role.EKSTERN_DPO, username="e2e-dpo", name="Dorte DPO", external_organisation="DPO")


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate(Axe().axe_script)
    result = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return result["violations"]


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    lines = [
        f"{v['id']}: {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in violations
    ]
    assert not violations, f"axe found violations on {what}:\n" + "\n".join(lines)


def log_in(page, base: str, username: str, next_url: str = "") -> None:
    page.goto(base + reverse("login") + (f"?next={next_url}" if next_url else ""))
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()


def walk(base: str, chromium_path: str, leader_sms: Callable[[], str]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            csp_errors: list[str] = []

            def new_page():
                context = browser.new_context(viewport=PHONE, locale="da-DK")
                page = context.new_page()
                page.on(
                    "console",
                    lambda m: (
                        csp_errors.append(m.text) if "Content Security Policy" in m.text else None
                    ),
                )
                return page

            # 1. The employee reports a suspected breach from a phone.
            page = new_page()
            log_in(page, base, "e2e-reporter")
            page.goto(base + reverse("incidents:report"))
            assert page.locator("html").get_attribute("lang") == "da"
            assert_accessible(page, "the report form")
            page.screenshot(path="/tmp/incident-report-phone.png", full_page=True)
            page.locator("textarea[name=description]").fill(
                "Jeg har sendt en mail med en borgers sag (010203-1234) til en forkert modtager."
            )
            page.locator("input[name=kind][value=suspected_breach]").check()
            page.locator("input[name=personal_data][value=yes]").check()
            page.locator("input[name=ongoing][value=no]").check()
            page.locator("form.form button[type=submit]").click()
            page.wait_for_url(re.compile(r".*/kvittering/$"))
            reference = page.locator(".reference").inner_text()
            assert reference.startswith("H-")
            assert "Lars Leder" in page.locator("main").inner_text()
            assert_accessible(page, "the receipt")
            assert "010203-1234" not in page.content()

            # 2. The leader's SMS arrives; the link shows a page, only the button acknowledges.
            body = leader_sms()
            assert reference in body
            link = ACK_LINK.search(body).group(0)
            leader = new_page()
            leader.goto(link)
            assert_accessible(leader, "the acknowledgement page")
            leader.locator("main form button[type=submit]").click()
            leader.wait_for_load_state()
            assert_accessible(leader, "the acknowledged page")

            # ... logs in, opens the escalation and ticks the checklist.
            log_in(leader, base, "e2e-leader", next_url=reverse("escalation:run_list"))
            leader.locator("main a", has_text=reference).first.click()
            leader.wait_for_load_state()
            for _ in range(2):
                leader.locator("form.tick-form button[type=submit]").first.click()
                leader.wait_for_load_state()
            assert leader.locator("ul.checklist li", has_text="Lars Leder").count() == 2
            assert_accessible(leader, "the escalation run page")

            # 3. The systemkoordinator finds it in the hændelseslog and assesses it.
            koordinator = new_page()
            log_in(koordinator, base, "e2e-koordinator")
            koordinator.goto(base + reverse("incidents:log"))
            assert_accessible(koordinator, "the hændelseslog")
            koordinator.locator("main table a", has_text=reference).click()
            koordinator.wait_for_load_state()
            assert koordinator.locator(".clock-running").count() >= 1
            assert_accessible(koordinator, "the incident page")
            koordinator.screenshot(path="/tmp/incident-detail-phone.png", full_page=True)
            detail_url = koordinator.url

            koordinator.goto(detail_url + "vurdering/")
            assert_accessible(koordinator, "the severity assessment")
            koordinator.locator("input[name=data_type][value='4']").check()
            koordinator.locator("input[name=ei][value='1.00']").check()
            koordinator.locator("input[name=cb_confidentiality][value='0.50']").check()
            koordinator.locator("textarea[name=reasoning]").fill(
                "Sagsoplysninger om én borger sendt til en forkert, ekstern modtager."
            )
            koordinator.locator("main form button[type=submit]").click()
            koordinator.wait_for_url(re.compile(r".*/beslutning/$"))
            assert_accessible(koordinator, "the decision page")
            koordinator.locator("input[name=decision][value=notify]").check()
            koordinator.locator("textarea[name=rationale]").fill(
                "Anmeldes: høj risiko for borgerens privatliv."
            )
            koordinator.locator("input[name=inform_subjects][value=yes]").check()
            koordinator.locator("main form button[type=submit]").click()
            koordinator.wait_for_url(detail_url)
            main = koordinator.locator("main").inner_text()
            assert reference in main
            # The clock still runs until the notification is submitted.
            assert koordinator.locator(".clock-running").count() >= 1

            koordinator.goto(detail_url + "datatilsynet/")
            assert reference in koordinator.locator("h1").inner_text()
            assert "Dorte DPO" in koordinator.locator("main").inner_text()
            assert_accessible(koordinator, "the Datatilsynet draft")

            koordinator.goto(base + reverse("incidents:log") + "?status=reported")
            assert koordinator.locator("main table a", has_text=reference).count() == 1

            assert not csp_errors, csp_errors
        finally:
            browser.close()


def test_it_walks_the_journey_with_eager_tasks(
    live_server, settings, journey_people, chromium_path, allow_orm_beside_playwright
):
    from beredskab.notify.sms import LocmemBackend

    settings.BASE_URL = live_server.url
    LocmemBackend.sent.clear()

    def leader_sms() -> str:
        bodies = [m["body"] for m in LocmemBackend.sent if m["to"] == LEADER_MOBILE]
        assert bodies, "the leader got no SMS"
        return bodies[0]

    walk(live_server.url, chromium_path, leader_sms)


def test_it_walks_the_journey_with_a_real_worker(
    live_server,
    settings,
    journey_people,
    chromium_path,
    redis_server_binary,
    allow_orm_beside_playwright,
):
    from django.db import connection

    need(connection.vendor == "postgresql", "a real worker needs PostgreSQL (DATABASE_URL)")
    from tests.fakes import FakeTwilio
    from tests.workers import CeleryWorker, RedisServer, publishing_to, worker_env

    settings.BASE_URL = live_server.url
    with (
        FakeTwilio(send_callbacks=False) as fake,
        RedisServer(redis_server_binary) as redis,
        publishing_to(redis.url),
        CeleryWorker(
            worker_env(connection, redis.url, fake.settings(), base_url=live_server.url),
            queues="escalation",
        ) as worker,
    ):

        def leader_sms() -> str:
            arrived = fake.wait_for(lambda msgs: any(m.to == LEADER_MOBILE for m in msgs), 30)
            assert arrived, f"no SMS reached the fake Twilio server:\n{worker.log()}"
            return fake.to(LEADER_MOBILE)[0].body

        walk(live_server.url, chromium_path, leader_sms)
