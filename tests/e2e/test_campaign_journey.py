"""Booking cancellation by mass SMS in a real browser (Chromium through Playwright), with
real parts behind it: PostgreSQL, a private redis-server, a real Celery worker on the
bulk queue, and the real twilio client talking to the fake Twilio server, which sends
signed delivery callbacks back to the live server.

Frontdesk, on a phone-sized screen, starts a cancellation, uploads the booking system's
export (Windows-1252, `;`, Danish names, a column the portal does not know so the
columns are mapped once, and four bad rows), reads the preview with the rejected rows,
writes the message while the live count follows, confirms with the password and watches
the counts reach the total. A second tab that had the confirm page open submits it
again: nothing more reaches the provider. An employee gets 403. axe-core checks every
page of the journey against WCAG 2.1 A and AA.

Elements are found by id, CSS and data attributes, never by their visible text: the
labels are Danish by default (and English when chosen). All ORM work happens outside
the `sync_playwright()` block.
"""

from __future__ import annotations

import re
import time

import pytest
from django.urls import reverse

from beredskab.notify.segments import segment_info
from beredskab.roles import Role
from tests.conftest import PASSWORD, need
from tests.e2e.support import PHONE, assert_accessible, launch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
WAIT_MS = 90_000  # the bound on every wait for the page to show the SMS' progress

# The booking system's export. Row 1 is the header; "SMS-nummer" and "Afdeling" are
# not titles the portal knows, so frontdesk maps those two columns once.
HEADER = "Borgerens navn;SMS-nummer;Tidspunkt;Ydelse;Afdeling"
ROWS = [
    "Søren Ærø;20 12 34 56;28-11-2026 10:30;Pas;Borgerservice",  # 2
    "Søren Ærø;+45 20123456;28.11.2026 14.00;Kørekort;Borgerservice",  # 3: same citizen
    "Åse Øberg;0045 31-22-33-44;2026-11-28 09:15;Pas;Borgerservice",  # 4
    # 5: foreign; campaigns text Danish numbers only (CAMPAIGN_ALLOWED_COUNTRIES empty)
    "Kim Berg;+46 70 123 45 67;28-11-2026 11:00;Sundhedskort;Borgerservice",
    "Ingen Nummer;;28-11-2026 12:00;Pas;Borgerservice",  # 6: no number
    "Bjørn Æbelø;12;28-11-2026 12:00;Pas;Borgerservice",  # 7: not a valid number
    "Jørgen Sent;40506070;29-11-2026 10:00;Pas;Borgerservice",  # 8: outside the period
    "Søren Ærø;20123456;28-11-2026 10:30;Pas;Borgerservice",  # 9: duplicate of row 2
    "Mette Ågård;+45 42 11 22 33;28-11-2026 15:45;Pas;Jobcenter",  # 10
    "Mette Ågård;42112233;28-11-2026 08:00;Pas;Jobcenter",  # 11: Mette's second time
    "Lærke Høj;50-60-70-80;28-11-2026 13:15;Pas;Borgerservice",  # 12
]
EXPORT = ("\r\n".join([HEADER, *ROWS]) + "\r\n").encode("cp1252")
REJECTED_ROWS = ["5", "6", "7", "8", "9"]
BOOKINGS = 6
# Each citizen's mobile and their times as the SMS names them, in time order.
TIMES = {
    "+4520123456": "28.11. kl. 10.30 og 28.11. kl. 14.00",
    "+4531223344": "28.11. kl. 09.15",
    "+4542112233": "28.11. kl. 08.00 og 28.11. kl. 15.45",
    "+4550607080": "28.11. kl. 13.15",
}
PLACES = {"+4542112233": "Jobcenter"}
TOTAL = len(TIMES)

REBOOK = "ring 70 10 20 30"
TEMPLATE = "Din tid {tider} hos {sted} er aflyst pga. strømsvigt. Book igen: {genbook}."


def sms_for(mobile: str, template: str = TEMPLATE) -> str:
    """The SMS exactly as the citizen with `mobile` gets it."""
    return (
        template.replace("{tider}", TIMES[mobile])
        .replace("{sted}", PLACES.get(mobile, "Borgerservice"))
        .replace("{genbook}", REBOOK)
    )


@pytest.fixture
def people(make_user):
    make_user(Role.MEDARBEJDER, Role.FRONTDESK, username="e2e-frontdesk", name="Frida Frontdesk")
    make_user(Role.MEDARBEJDER, username="e2e-employee", name="Emil Medarbejder")


def log_in(context, base: str, username: str):
    page = context.new_page()
    page.goto(base + reverse("login"))
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_url(base + reverse("home"))
    return page


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def wait_for_count(page, text_before: str, timeout: float = 15.0) -> str:
    """The live count (#count-text) once htmx has swapped in a new one."""
    from playwright.sync_api import expect

    count = page.locator("#count-text")
    expect(count).not_to_have_text(text_before, timeout=timeout * 1000)
    return count.inner_text()


def test_it_cancels_bookings_by_sms_and_watches_them_delivered(
    live_server, settings, people, chromium_path, redis_server_binary, allow_orm_beside_playwright
):
    from django.db import connection

    need(connection.vendor == "postgresql", "a real worker needs PostgreSQL (DATABASE_URL)")
    from playwright.sync_api import expect, sync_playwright

    from tests.fakes import FakeTwilio
    from tests.workers import CeleryWorker, RedisServer, publishing_to, wait_until, worker_env

    base = live_server.url
    # One person's journey; the second person's approval has its own tests.
    settings.CAMPAIGN_REQUIRE_APPROVAL = False
    settings.BASE_URL = base  # the delivery callbacks' signatures are checked against it
    # The journey confirms with the password: no re-authentication window after the login.
    settings.REAUTH_WINDOW_MINUTES = 0
    with (
        FakeTwilio(send_callbacks=True) as fake,
        RedisServer(redis_server_binary) as redis,
        publishing_to(redis.url),
        CeleryWorker(
            worker_env(connection, redis.url, fake.settings(), base_url=base), queues="bulk"
        ) as worker,
    ):
        for name, value in fake.settings().items():
            setattr(settings, name, value)

        with sync_playwright() as p:
            browser = launch(p, chromium_path)
            try:
                context = browser.new_context(viewport=PHONE, locale="da-DK")
                page = log_in(context, base, "e2e-frontdesk")

                # 1. Start: the period, the place and why.
                page.goto(base + reverse("outages:campaign_new"))
                assert_accessible(page, "the start form")
                page.locator("#id_period_start").fill("2026-11-28T08:00")
                page.locator("#id_period_end").fill("2026-11-28T16:00")
                page.locator("#id_place").fill("Borgerservice")
                page.locator("#id_reason").fill("Strømsvigt på rådhuset")
                page.locator("main form.form button[type=submit]").click()
                page.wait_for_url(re.compile(r".*/aflysninger/\d+/bookinger/$"))
                pk = int(re.search(r"/aflysninger/(\d+)/", page.url).group(1))

                def url(name: str) -> str:
                    return base + reverse(f"outages:{name}", args=[pk])

                # 2. Upload the Windows-1252 export; its columns are mapped once.
                assert_accessible(page, "the upload page")
                upload = page.locator("main form[enctype='multipart/form-data']")
                upload.locator("#id_file").set_input_files(
                    files=[{"name": "bookinger.csv", "mimeType": "text/csv", "buffer": EXPORT}]
                )
                upload.locator("button[type=submit]").click()
                page.wait_for_url(url("campaign_mapping"))
                assert_accessible(page, "the column mapping")
                # Known titles are chosen already; the two unknown ones are not.
                assert page.locator("#id_name").input_value() == "Borgerens navn"
                assert page.locator("#id_time").input_value() == "Tidspunkt"
                assert page.locator("#id_mobile").input_value() == ""
                page.locator("#id_mobile").select_option("SMS-nummer")
                page.locator("#id_location").select_option("Afdeling")
                page.locator("main form.form button[type=submit]").click()
                page.wait_for_url(url("campaign_preview"))

                # 3. The preview: counts, and the rejected rows by their row numbers.
                assert page.locator("#count-bookings").inner_text().strip() == str(BOOKINGS)
                assert page.locator("#count-mobiles").inner_text().strip() == str(TOTAL)
                assert page.locator("#count-rejected").inner_text().strip() == "5"
                rejected = page.locator("table#rejected tbody tr td:first-child")
                assert [r.strip() for r in rejected.all_inner_texts()] == REJECTED_ROWS
                assert_accessible(page, "the preview of the bookings")
                compose = reverse("outages:campaign_compose", args=[pk])
                page.locator(f"main a[href='{compose}']").click()
                page.wait_for_url(url("campaign_compose"))

                # 4. Write the message; the live count follows the text.
                assert_accessible(page, "the compose page")
                template = page.locator("#id_template")
                count_text = page.locator("#count-text").inner_text()
                page.locator("#id_rebook").fill(REBOOK)
                template.fill("Aflyst: {tider}")
                short = f"Aflyst: {TIMES['+4520123456']}"
                count_text = wait_for_count(page, count_text)
                assert segment_info(short).units in numbers(count_text), count_text
                assert "GSM-7" in count_text
                assert page.locator("#web-warning").count() == 0
                # A curly quote leaves the SMS alphabet: UCS-2, 70 characters a segment.
                template.fill("Aflyst ’i dag’: {tider}")
                count_text = wait_for_count(page, count_text)
                assert "UCS-2" in count_text, count_text
                # A web address is warned about (Danish operators may filter it).
                template.fill("Se www.kommune.dk: {tider}")
                count_text = wait_for_count(page, count_text)
                expect(page.locator("#web-warning")).to_be_visible()
                # The real message: long enough for two segments for every citizen.
                template.fill(TEMPLATE + " Vi beklager ulejligheden. Venlig hilsen Kommunen")
                count_text = wait_for_count(page, count_text)
                template.fill(TEMPLATE)
                count_text = wait_for_count(page, count_text)
                first = segment_info(sms_for("+4520123456"))
                assert first.encoding == "GSM-7"  # æ, ø and å are in the SMS alphabet
                assert {first.units, first.segments} <= set(numbers(count_text)), count_text
                assert "GSM-7" in count_text
                expect(page.locator("#web-warning")).to_have_count(0)
                samples = page.locator("section#count ol.samples").inner_text()
                assert sms_for("+4520123456") in samples  # Søren: both times in one SMS
                # The names were read as Windows-1252, not as mojibake.
                assert "Søren Ærø" in samples and "Åse Øberg" in samples
                page.locator("main button[name=action][value=save]").click()
                page.wait_for_url(url("campaign_confirm"))

                # 5. Confirm with the password. A second tab has the same page open.
                assert_accessible(page, "the confirm page")
                send = page.locator("#send-button")
                assert numbers(send.inner_text()) == [TOTAL], send.inner_text()
                second_tab = context.new_page()
                second_tab.goto(url("campaign_confirm"))
                second_tab.locator("#id_password").fill(PASSWORD)
                page.locator("#id_password").fill(PASSWORD)
                send.click()
                page.wait_for_url(url("campaign"))

                # 6. Watch: every citizen gets exactly one SMS with all their times...
                arrived = fake.wait_for(lambda msgs: len(msgs) >= TOTAL, timeout=60)
                assert arrived, f"the SMS did not reach the fake Twilio server:\n{worker.log()}"
                assert sorted(m.to for m in fake.messages) == sorted(TIMES)
                for mobile in TIMES:
                    assert [m.body for m in fake.to(mobile)] == [sms_for(mobile)]
                # ... and the page's counts reach the total as the signed delivery
                # callbacks come in (htmx polls #progress every 5 s).
                delivered = page.locator("#progress td[data-count='delivered']")
                expect(delivered).to_have_text(str(TOTAL), timeout=WAIT_MS)
                for bucket in ("waiting", "sent", "failed"):
                    assert page.locator(f"td[data-count='{bucket}']").inner_text() == "0"
                assert page.locator("table.failed").count() == 0
                # Every callback was signed, and the live server took it.
                assert wait_until(
                    lambda: all(len(m.callbacks) == 2 for m in fake.messages), timeout=10
                )
                assert {tuple(m.callbacks) for m in fake.messages} == {
                    (("sent", 204), ("delivered", 204))
                }
                assert_accessible(page, "the watch page")
                # The watch page on a desktop screen too.
                page.set_viewport_size(DESKTOP)
                assert_accessible(page, "the watch page on a desktop")

                # 7. The second tab submits its confirm page: nothing more is sent.
                second_tab.locator("#send-button").click()
                second_tab.wait_for_url(url("campaign"))
                assert second_tab.locator("#campaign-status").count() == 1
                assert fake.wait_idle(quiet=2.0, timeout=20)
                time.sleep(3)  # a task published by a second send would have arrived
                assert len(fake.messages) == TOTAL
                assert not fake.duplicates()

                # 8. An employee cannot open the campaign, nor start one.
                employee = log_in(
                    browser.new_context(viewport=DESKTOP, locale="da-DK"), base, "e2e-employee"
                )
                for name, args in (("campaign", [pk]), ("campaign_new", [])):
                    response = employee.goto(base + reverse(f"outages:{name}", args=args))
                    assert response.status == 403, (name, response.status)
            finally:
                browser.close()

    # After the browser: what the database holds agrees with the provider's side.
    from beredskab.models import OutboxMessage
    from beredskab.models.outbox import Priority, Status
    from outages.models import Campaign, CampaignStatus

    campaign = Campaign.objects.get(pk=pk)
    assert campaign.status == CampaignStatus.SENDING
    assert campaign.messages.count() == 1
    rows = OutboxMessage.objects.for_group(campaign.group_key)
    assert rows.count() == TOTAL
    assert set(rows.values_list("status", flat=True)) == {Status.DELIVERED}
    assert set(rows.values_list("priority", flat=True)) == {Priority.BULK}
    message = campaign.messages.get()
    assert sorted(rows.values_list("idempotency_key", flat=True)) == sorted(
        message.outbox_key(r.pk) for r in campaign.recipients.all()
    )
