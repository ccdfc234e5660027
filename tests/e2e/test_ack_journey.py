"""The acknowledgement journey on a phone: the SMS the fake Twilio server received
carries a link; the leader opens it in Chromium, acknowledges, and the next step's
SMS arrives. The real twilio client sends; tasks run in the live server's process."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group

from beredskab.escalation import engine
from beredskab.models import EscalationChain, EscalationStep, EventKind, RunStep, StepStatus
from beredskab.roles import Role
from tests.e2e.support import PHONE, assert_accessible, launch
from tests.fakes import FakeTwilio

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"(https?://\S+/a/[A-Za-z0-9_-]+/)")


@pytest.fixture
def fake_twilio(settings, live_server):
    with FakeTwilio(send_callbacks=False) as fake:
        for name, value in fake.settings().items():
            setattr(settings, name, value)
        settings.BASE_URL = live_server.url
        yield fake


def test_the_leader_acknowledges_from_the_sms_link_and_the_next_step_is_told(
    live_server, fake_twilio, make_user, department, chromium_path, allow_orm_beside_playwright
):
    reporter = make_user(Role.MEDARBEJDER, username="reporter").person
    leader = make_user(Role.MEDARBEJDER, Role.LEDER, username="leader", name="Lise Leder").person
    department.leaders.add(leader)
    dpo = make_user(Role.EKSTERN_DPO, username="dpo", external_organisation="DPO ApS").person
    chain = EscalationChain.objects.create(name="Databrud", event_kind=EventKind.BREACH)
    EscalationStep.objects.create(
        chain=chain,
        position=1,
        name="Nærmeste leder",
        notify_nearest_leader=True,
        by_email=False,
        checklist="Systemkoordinator informeret",
    )
    second = EscalationStep.objects.create(
        chain=chain, position=2, name="DPO", is_external=True, by_email=False
    )
    second.notify_roles.set(Group.objects.filter(name=Role.EKSTERN_DPO))

    run = engine.start_run(
        chain, title="Mistanke om databrud", summary="Phishing-mail", reporter=reporter
    )
    assert fake_twilio.wait_for(lambda msgs: any(m.to == str(leader.mobile) for m in msgs), 20)
    (sms,) = fake_twilio.to(str(leader.mobile))
    link = LINK.search(sms.body).group(1)
    assert link.startswith(live_server.url)
    assert fake_twilio.to(str(dpo.mobile)) == []

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium_path)
        try:
            page = browser.new_context(viewport=PHONE, locale="da-DK").new_page()
            page.goto(link)
            assert page.locator("html").get_attribute("lang") == "da"
            assert "Mistanke om databrud" in page.locator("h1").inner_text()
            assert "Systemkoordinator informeret" in page.content()
            assert_accessible(page, "the acknowledgement page")
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
            assert page.locator("[role=status]").count() == 1
            assert_accessible(page, "the acknowledged page")
            # A second visit of the same link is refused: it was single-purpose.
            response = page.goto(link)
            assert response.status == 410
        finally:
            browser.close()

    assert fake_twilio.wait_for(lambda msgs: any(m.to == str(dpo.mobile) for m in msgs), 20)
    step = RunStep.objects.get(run=run, position=1)
    assert step.status == StepStatus.ACKNOWLEDGED and step.acknowledged_by == leader
