"""The run page's live part: a poll is answered 204 while nothing changed, so nothing is
swapped; after a change the fragment comes back; checklist forms are hx-preserve."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from beredskab.escalation.checklist import tick_checklist
from beredskab.notify import callbacks
from tests.runs import leader_run

CHECKLIST = "Leverandør kontaktet\nSystemkoordinator informeret"


@pytest.fixture
def run(db, make_user, department, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the SMS goes out (eager)
        return leader_run(make_user, department, checklist=CHECKLIST)


def poll_url(client, run) -> str:
    page = client.get(reverse("escalation:run", args=[run.pk])).content.decode()
    return re.search(r'id="run-live" hx-get="([^"]+)"', page).group(1).replace("&amp;", "&")


def test_a_poll_is_204_until_the_run_changes(run, client_as):
    leader = run.steps.get().recipients.get().person.user
    client = client_as(leader)
    url = poll_url(client, run)
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert "no-cache" in response["Cache-Control"]

    tick_checklist(run.steps.get(), 1, by=leader.person)
    changed = client.get(url, headers={"HX-Request": "true"})
    assert changed.status_code == 200
    assert changed.content.decode().lstrip().startswith('<div id="run-live"')


def test_a_delivery_report_counts_as_a_change(run, client_as):
    leader = run.steps.get().recipients.get().person.user
    client = client_as(leader)
    url = poll_url(client, run)
    msg = run.steps.get().messages.get()
    assert callbacks.apply_provider_status("", "delivered", pk=msg.pk)
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 200


def test_the_checklist_forms_keep_what_is_typed(run, client_as):
    leader = run.steps.get().recipients.get().person.user
    page = client_as(leader).get(reverse("escalation:run", args=[run.pk])).content.decode()
    step = run.steps.get()
    for index in (0, 1):
        assert f'id="tick-{step.pk}-{index}" hx-preserve' in page
    assert 'hx-trigger="every' in page and "[" not in page.split('hx-trigger="')[1][:20]
