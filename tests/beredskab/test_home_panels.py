"""The home page's "Open right now": the outages and what waits for my acknowledgement."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from beredskab.escalation import engine
from beredskab.models import EscalationChain, EscalationStep, EventKind, System
from beredskab.roles import Role
from outages.services import power as power_service
from outages.services import system as system_service

pytestmark = pytest.mark.django_db


def panel(html: str, heading: str) -> str:
    """The status panel under `heading` (Danish, as the page is)."""
    match = re.search(rf"<h3>{heading}</h3>(.*?)</div>", html, re.S)
    assert match, heading
    return match.group(1)


def home(client_as, user) -> str:
    return client_as(user).get(reverse("home")).content.decode()


def test_nothing_open_reads_as_such(client_as, employee):
    html = home(client_as, employee)
    assert "Ingen nedbrud lige nu." in panel(html, "Nedbrud")
    assert "Intet venter på din kvittering." in panel(html, "Venter på dig")


def test_a_declared_outage_shows_to_everyone_a_mere_report_only_to_it(
    client_as, employee, make_user
):
    it = make_user(Role.IT, username="itperson")
    system = System.objects.create(name="Momentum")
    reported = system_service.report(it, description="Momentum svarer ikke", system=system)
    assert "Momentum" not in panel(home(client_as, employee), "Nedbrud")
    assert "afventer din bekræftelse" in panel(home(client_as, it), "Nedbrud")  # IT confirms

    system_service.declare(reported, [(system, "down")], actor=it)
    outages = panel(home(client_as, employee), "Nedbrud")
    assert f'href="{reported.get_absolute_url()}"' in outages
    assert "Momentum (nede)" in outages


def test_a_power_outage_shows_until_it_is_closed(client_as, employee, make_user):
    it = make_user(Role.IT, username="itperson")
    outage = power_service.declare(it, title="Ingen strøm på rådhuset", meeting_point="Kantinen")
    outages = panel(home(client_as, employee), "Nedbrud")
    assert "El-nedbrud: Ingen strøm på rådhuset" in outages
    assert f'href="{outage.get_absolute_url()}"' in outages


def test_a_step_waiting_for_me_until_i_acknowledge(client_as, make_user):
    leader = make_user(Role.LEDER, username="boss")
    bystander = make_user(Role.LEDER, username="other")
    chain = EscalationChain.objects.create(name="Brud", event_kind=EventKind.BREACH)
    step = EscalationStep.objects.create(chain=chain, position=1, name="Lederen")
    step.notify_people.set([leader.person])
    run = engine.start_run(chain, title="Mistanke om brud")

    waiting = panel(home(client_as, leader), "Venter på dig")
    run_step = run.steps.get(position=1)
    assert f'href="{reverse("escalation:run", args=[run.pk])}#step-{run_step.pk}"' in waiting
    assert "Mistanke om brud" in waiting and "Lederen" in waiting
    assert "kvittér senest kl." in waiting
    assert "Intet venter" in panel(home(client_as, bystander), "Venter på dig")

    engine.acknowledge(run_step, by=leader.person)
    assert "Intet venter på din kvittering." in panel(home(client_as, leader), "Venter på dig")
