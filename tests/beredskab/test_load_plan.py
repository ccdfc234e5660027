from __future__ import annotations

import pytest
from django.core.management import call_command

from beredskab.models import EscalationChain, EscalationStep, EventKind, InfoLink, TimelineEvent
from beredskab.plan import CHAINS, INFO_LINKS
from beredskab.roles import Role
from contactcenter.models import ContactChannel
from contactcenter.plan import CHANNELS

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "chains": EscalationChain.objects.count(),
        "steps": EscalationStep.objects.count(),
        "links": InfoLink.objects.count(),
        "channels": ContactChannel.objects.count(),
        "events": TimelineEvent.objects.count(),
    }


def load_plan() -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_plan", stdout=out)
    return out.getvalue()


def test_it_creates_the_three_chains_with_steps_and_checklists():
    load_plan()
    chains = {chain.event_kind: chain for chain in EscalationChain.objects.all()}
    assert set(chains) == {EventKind.BREACH, EventKind.SYSTEM_OUTAGE, EventKind.POWER_OUTAGE}
    for chain in chains.values():
        steps = list(chain.steps.all())
        assert len(steps) >= 3
        assert [s.position for s in steps] == list(range(1, len(steps) + 1))
        for step in steps:
            assert step.checklist_items(), step
            assert step.ack_timeout_minutes >= 1
            assert step.notify_nearest_leader or step.notify_roles.exists(), step


def test_it_writes_the_breach_chain_from_the_plans_words():
    load_plan()
    first, second, third = EscalationChain.objects.get(event_kind=EventKind.BREACH).steps.all()
    assert first.notify_nearest_leader
    assert set(first.notify_roles.values_list("name", flat=True)) == {Role.SYSTEMKOORDINATOR}
    checklist = "\n".join(first.checklist_items())
    for words in ("eksterne DPO", "IT-afdelingen", "omfang og alvor", "taskforce", "leverandør"):
        assert words in checklist
    assert second.is_external
    assert set(second.notify_roles.values_list("name", flat=True)) == {Role.EKSTERN_DPO, Role.IT}
    assert first.ack_timeout_minutes < second.ack_timeout_minutes < third.ack_timeout_minutes


def test_it_makes_the_system_outage_chain_contact_the_supplier():
    load_plan()
    chain = EscalationChain.objects.get(event_kind=EventKind.SYSTEM_OUTAGE)
    assert "samme procedurer som ved databrud" in chain.description
    checklist = "\n".join(item for step in chain.steps.all() for item in step.checklist_items())
    assert "systemleverandøren" in checklist and "genetablering" in checklist


def test_it_makes_the_power_outage_chain_activate_the_response():
    load_plan()
    chain = EscalationChain.objects.get(event_kind=EventKind.POWER_OUTAGE)
    roles = set(chain.steps.values_list("notify_roles__name", flat=True))
    assert {Role.BEREDSKABSGRUPPE, Role.FRONTDESK, Role.KONTAKTCENTER} <= roles
    checklist = "\n".join(item for step in chain.steps.all() for item in step.checklist_items())
    for words in ("beredskabsgruppen", "masse-SMS", "dørvagt", "forvaltningerne", "medierne"):
        assert words in checklist


def test_it_loads_the_information_security_links_and_the_channels():
    load_plan()
    assert set(InfoLink.objects.values_list("key", flat=True)) == {s.key for s in INFO_LINKS}
    assert InfoLink.objects.filter(key="haendelseslog").exclude(guidance="").exists()
    # Every link has the intranet address the plan names (issue 21).
    assert not InfoLink.objects.filter(url="").exists()
    assert all(
        url.startswith("https://medarbejderportalen.aabenraa.dk/")
        for url in InfoLink.objects.values_list("url", flat=True)
    )
    assert set(ContactChannel.objects.values_list("key", flat=True)) == {c["key"] for c in CHANNELS}
    assert ContactChannel.objects.filter(state=ContactChannel.State.UNKNOWN).count() == len(
        CHANNELS
    )


def test_it_changes_nothing_when_run_twice():
    load_plan()
    before = counts()
    output = load_plan()
    assert counts() == before
    assert "nothing was missing" in output
    assert before["chains"] == len(CHAINS)


def test_it_keeps_what_staff_edited_between_runs():
    load_plan()
    chain = EscalationChain.objects.get(event_kind=EventKind.BREACH)
    chain.name = "Databrud (vores version)"
    chain.save()
    chain.steps.filter(position=3).delete()
    step = chain.steps.get(position=1)
    step.checklist = "Ring til lederen"
    step.save()
    InfoLink.objects.filter(key="phishing").update(title="Phishing – sådan", url="")
    ContactChannel.objects.filter(key="indialog").update(name="Telefonrobotten")

    load_plan()

    chain.refresh_from_db()
    assert chain.name == "Databrud (vores version)"
    assert chain.steps.count() == 2
    assert chain.steps.get(position=1).checklist == "Ring til lederen"
    assert EscalationChain.objects.filter(event_kind=EventKind.BREACH).count() == 1
    assert InfoLink.objects.get(key="phishing").title == "Phishing – sådan"
    assert ContactChannel.objects.get(key="indialog").name == "Telefonrobotten"


def test_it_recreates_what_is_missing():
    load_plan()
    InfoLink.objects.filter(key="mindzeed").delete()
    ContactChannel.objects.filter(key="teams-telefoni").delete()
    output = load_plan()
    assert InfoLink.objects.filter(key="mindzeed").exists()
    assert ContactChannel.objects.filter(key="teams-telefoni").exists()
    assert "Mindzeed" in output and "Teams" in output


def test_it_does_not_bring_back_a_link_staff_deleted_in_the_portal():
    from beredskab import timeline

    load_plan()
    link = InfoLink.objects.get(key="phishing")
    timeline.record(link, "infolink.deleted", actor="test", data={"title": link.title})
    link.delete()
    load_plan()
    assert not InfoLink.objects.filter(key="phishing").exists()


def test_it_records_the_new_chains_on_their_timeline():
    load_plan()
    for chain in EscalationChain.objects.all():
        events = TimelineEvent.objects.filter(
            subject_type="beredskab.escalationchain", subject_id=str(chain.pk)
        )
        assert list(events.values_list("kind", "actor_text")) == [("chain.created", "load_plan")]


def test_it_calls_the_apps_hooks():
    from django.apps import apps

    from beredskab.plan import load_app_hooks

    assert "contactcenter" in load_app_hooks("load_plan")
    assert not hasattr(apps.get_app_config("beredskab"), "load_plan")
