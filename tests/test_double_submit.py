"""A concurrent double submit of every form with a double-submit guard (beredskab.once):
two requests with the same nonce at the same moment, on real PostgreSQL, from two
threads with their own connections. One effect, no 5xx.

The race is made certain, not left to timing: both requests read "no row with this
nonce yet" before either goes on (a barrier in once.existing), so the database's unique
constraint is what has to decide."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from beredskab import once
from beredskab.models import Broadcast, EscalationRun, OutboxMessage, TimelineEvent
from beredskab.roles import Role
from incidents.models import Incident
from outages.models import Campaign, PowerOutage, SystemOutage
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Form:
    url: str
    roles: tuple[str, ...]
    data: dict[str, Any]
    model: type
    created_kind: str


FORMS = {
    "incident report": Form(
        "incidents:report",
        (Role.MEDARBEJDER,),
        {"description": "Jeg klikkede på et link i en mail"},
        Incident,
        "incident.reported",
    ),
    "system outage report": Form(
        "outages:report",
        (Role.MEDARBEJDER,),
        {"description": "Fagsystemet svarer ikke"},
        SystemOutage,
        "outage.reported",
    ),
    "power outage declaration": Form(
        "outages:power_declare",
        (Role.MEDARBEJDER, Role.LEDER),
        {"title": "Ingen strøm på rådhuset", "meeting_point": "P-pladsen"},
        PowerOutage,
        "power.declared",
    ),
    "booking cancellation campaign": Form(
        "outages:campaign_new",
        (Role.MEDARBEJDER, Role.FRONTDESK),
        {
            "period_start": "2026-11-28T08:00",
            "period_end": "2026-11-28T16:00",
            "place": "Borgerservice",
            "reason": "Strømsvigt",
            "outage": "",
        },
        Campaign,
        "campaign.created",
    ),
    "message to departments": Form(
        "broadcast:new",
        (Role.MEDARBEJDER, Role.KONTAKTCENTER),
        {
            "include_subunits": "on",
            "by_sms": "on",
            "subject": "Strømsvigt",
            "body": "Gå hjem",
            "action": "send",
            "password": PASSWORD,
        },
        Broadcast,
        "broadcast.sent",
    ),
}


def race_the_nonce_check(monkeypatch, parties: int = 2) -> None:
    """Each thread's first look for the nonce waits until every thread has looked."""
    barrier = threading.Barrier(parties)
    seen = threading.local()
    real = once.existing

    def existing(model, nonce):
        found = real(model, nonce)
        if not getattr(seen, "done", False):
            seen.done = True
            barrier.wait(timeout=20)
        return found

    monkeypatch.setattr(once, "existing", existing)


def post_at_once(clients: list[Client], url: str, data: dict) -> list:
    answers: list = [None] * len(clients)

    def work(n: int) -> None:
        try:
            answers[n] = clients[n].post(url, data)
        except BaseException as error:  # noqa: BLE001 - a 500 raised into the test client
            answers[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return answers


@pytest.mark.parametrize("name", list(FORMS))
def test_a_concurrent_double_submit_has_one_effect_and_no_5xx(
    name, postgres, make_user, department, monkeypatch, settings
):
    settings.CAMPAIGN_REQUIRE_APPROVAL = False
    form = FORMS[name]
    user = make_user(*form.roles, username="submitter")
    make_user(Role.MEDARBEJDER, username="colleague")  # someone for a broadcast to reach
    data = {**form.data, "nonce": uuid.uuid4().hex}  # as the forms make them
    if form.model is Broadcast:
        data["departments"] = [department.pk]
    clients = []
    for _n in range(2):
        client = Client()
        client.force_login(user)
        clients.append(client)
    race_the_nonce_check(monkeypatch)

    answers = post_at_once(clients, reverse(form.url), data)

    for answer in answers:
        assert not isinstance(answer, BaseException), f"{name}: {answer!r}"
        assert answer.status_code < 500, (name, answer.status_code)
    assert [a.status_code for a in answers] == [302, 302], name
    assert answers[0]["Location"] == answers[1]["Location"]  # both see the one row
    assert form.model.objects.count() == 1
    assert TimelineEvent.objects.filter(kind=form.created_kind).count() == 1
    assert EscalationRun.objects.count() <= 1
    if form.model is Broadcast:
        # One message per person reached, not two.
        assert OutboxMessage.objects.filter(
            group_key=Broadcast.objects.get().group_key
        ).count() == (Broadcast.objects.get().recipient_count)
