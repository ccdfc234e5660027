"""The run page polls while people type: a note typed into a checklist item survives
the polls, also the one that swaps the live part because someone else ticked an item.

All ORM work happens before the browser starts; the change during the polls is made
through the page itself, in a second tab."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.support import PHONE, launch, log_in
from tests.runs import leader_run

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTE = "Ringet til leverandøren, venter svar"


def test_a_note_typed_while_the_run_page_polls_survives(
    live_server, make_user, department, chromium_path, monkeypatch
):
    monkeypatch.setattr("beredskab.views.escalation.POLL_SECONDS", 1)
    run = leader_run(
        make_user, department, checklist="Leverandør kontaktet\nSystemkoordinator informeret"
    )
    step = run.steps.get()
    run_path = reverse("escalation:run", args=[run.pk])
    note_id = f"#note-{step.pk}-0"

    def is_poll(response) -> bool:
        return run_path in response.url and "v=" in response.url

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium_path)
        try:
            context = browser.new_context(viewport=PHONE, locale="da-DK")
            page = context.new_page()
            log_in(page, live_server.url, "leader")
            page.goto(live_server.url + run_path)
            page.locator(note_id).click()
            page.keyboard.type(NOTE)

            # Nothing changed yet: the poll answers 204 and nothing is swapped.
            with page.expect_response(is_poll, timeout=10_000) as first:
                pass
            assert first.value.status == 204

            # Someone else ticks the other item: the next poll brings a new live part.
            other = context.new_page()
            other.goto(live_server.url + run_path)
            other.locator(f"#tick-{step.pk}-1 button[type=submit]").click()
            other.wait_for_load_state()
            other.close()

            statuses = []
            for _poll in range(2):
                with page.expect_response(is_poll, timeout=10_000) as poll:
                    pass
                statuses.append(poll.value.status)
                page.wait_for_timeout(100)  # let htmx finish the swap
            assert 200 in statuses, statuses  # the live part was swapped at least once
            # The other item now shows as done in this tab; the note is still there.
            assert page.locator(f"#tick-{step.pk}-1").count() == 0
            assert "Systemkoordinator informeret" in page.locator("#run-live").inner_text()
            assert page.locator(note_id).input_value() == NOTE
            # And the cursor is still in it: typing goes on where it was.
            page.keyboard.type("!")
            assert page.locator(note_id).input_value() == NOTE + "!"
        finally:
            browser.close()
