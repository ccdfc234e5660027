"""Escalation chains: whom a step reaches, the chain's warnings, and editing its steps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from beredskab.models import Absence, EscalationChain, EscalationStep, Person, TimelineEvent
from beredskab.roles import Role


@pytest.fixture(autouse=True)
def _english(settings):
    # The assertions read the English source strings; Danish is the translators' part.
    settings.LANGUAGE_CODE = "en"


NOW = timezone.now()


@pytest.fixture
def chain(db):
    return EscalationChain.objects.create(name="Databrud", event_kind="breach")


def _step(chain, position=1, **fields) -> EscalationStep:
    return EscalationStep.objects.create(
        chain=chain, position=position, name=fields.pop("name", f"Trin {position}"), **fields
    )


def _person(name, *roles, mobile="+4520000001", **fields) -> Person:
    person = Person.objects.create(name=name, mobile=mobile, **fields)
    person.roles.set(Group.objects.filter(name__in=roles))
    return person


def _away(person):
    Absence.objects.create(
        person=person, starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(hours=1)
    )


def test_it_reaches_the_members_of_the_roles(chain):
    step = _step(chain)
    step.notify_roles.set(Group.objects.filter(name=Role.EKSTERN_DPO))
    dpo = _person("DPO", Role.EKSTERN_DPO)
    _person("Someone else", Role.MEDARBEJDER, mobile="+4520000002")
    assert step.resolve_recipients(at=NOW) == [dpo]


def test_it_leaves_out_inactive_members(chain):
    step = _step(chain)
    step.notify_roles.set(Group.objects.filter(name=Role.IT))
    _person("Gone", Role.IT, is_active=False)
    assert step.resolve_recipients(at=NOW) == []


def test_it_reaches_named_people(chain):
    step = _step(chain)
    anna = _person("Anna")
    step.notify_people.set([anna])
    assert step.resolve_recipients(at=NOW) == [anna]


def test_it_replaces_an_absent_person_by_their_deputy(chain):
    step = _step(chain)
    deputy = _person("Deputy", mobile="+4520000009")
    anna = _person("Anna", Role.SYSTEMKOORDINATOR, deputy=deputy)
    step.notify_roles.set(Group.objects.filter(name=Role.SYSTEMKOORDINATOR))
    _away(anna)
    assert step.resolve_recipients(at=NOW) == [deputy]


def test_it_reaches_nobody_for_an_absent_person_without_a_deputy(chain):
    step = _step(chain)
    anna = _person("Anna")
    step.notify_people.set([anna])
    _away(anna)
    assert step.resolve_recipients(at=NOW) == []


def test_it_lists_each_person_once(chain):
    step = _step(chain)
    deputy = _person("Deputy", Role.IT, Role.SYSTEMKOORDINATOR, mobile="+4520000009")
    anna = _person("Anna", Role.IT, deputy=deputy)
    _away(anna)
    step.notify_roles.set(Group.objects.filter(name__in=[Role.IT, Role.SYSTEMKOORDINATOR]))
    step.notify_people.set([deputy, anna])
    assert step.resolve_recipients(at=NOW) == [deputy]


def test_it_adds_the_reporters_nearest_leader_once(chain, department):
    step = _step(chain, notify_nearest_leader=True)
    boss = _person("Boss", Role.LEDER, department=department)
    department.leaders.set([boss])
    reporter = _person("Reporter", department=department, mobile="+4520000003")
    step.notify_roles.set(Group.objects.filter(name=Role.LEDER))
    assert step.resolve_recipients(reporter=reporter, at=NOW) == [boss]
    step.notify_roles.clear()
    assert step.resolve_recipients(reporter=reporter, at=NOW) == [boss]


def test_it_warns_about_a_step_that_reaches_nobody(chain):
    empty = _step(chain, 1, name="Nobody here")
    empty.notify_roles.set(Group.objects.filter(name=Role.EKSTERN_DPO))
    fine = _step(chain, 2, name="Leader", notify_nearest_leader=True)
    warnings = chain.warnings(at=NOW)
    assert [step for step, _ in warnings] == [empty]
    assert fine not in [step for step, _ in warnings]


def test_it_warns_about_a_chain_without_steps(chain):
    assert [str(message) for _, message in chain.warnings(at=NOW)] == ["This chain has no steps."]


def test_the_chain_page_shows_the_warning(client_as, systemkoordinator, chain):
    step = _step(chain, name="Ring til DPO")
    step.notify_roles.set(Group.objects.filter(name=Role.EKSTERN_DPO))
    html = client_as(systemkoordinator).get(chain.get_absolute_url()).content.decode()
    assert 'class="warning"' in html
    assert "This step reaches nobody today." in html
    _person("DPO", Role.EKSTERN_DPO)
    html = client_as(systemkoordinator).get(chain.get_absolute_url()).content.decode()
    assert 'class="warning"' not in html
    assert "DPO" in html


# --- Editing a chain with its steps ---


def _management(total: int, initial: int) -> dict:
    return {
        "steps-TOTAL_FORMS": str(total),
        "steps-INITIAL_FORMS": str(initial),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }


def _step_fields(i: int, step: EscalationStep | None, **fields) -> dict:
    out = {
        f"steps-{i}-by_sms": "on",
        f"steps-{i}-by_email": "on",
        f"steps-{i}-ack_timeout_minutes": "15",
        f"steps-{i}-notify_nearest_leader": "on",
    }
    if step is not None:
        out[f"steps-{i}-id"] = str(step.pk)
        out[f"steps-{i}-chain"] = str(step.chain_id)
        out[f"steps-{i}-name"] = step.name
    out.update({f"steps-{i}-{k}": v for k, v in fields.items()})
    return out


def test_it_creates_a_chain_with_its_steps(client_as, systemkoordinator):
    roles = Group.objects.filter(name__in=[Role.SYSTEMKOORDINATOR, Role.EKSTERN_DPO])
    data = {
        "name": "Systemnedbrud",
        "event_kind": "system_outage",
        "is_active": "on",
        **_management(2, 0),
        **_step_fields(0, None, name="Leder", ORDER="1", checklist="Ring\n\nSkriv log"),
        **_step_fields(1, None, name="DPO", ORDER="2", notify_roles=[str(g.pk) for g in roles]),
    }
    data.pop("steps-1-notify_nearest_leader")
    response = client_as(systemkoordinator).post(reverse("directory:chain_create"), data)
    chain = EscalationChain.objects.get(name="Systemnedbrud")
    assert response.status_code == 302
    assert response["Location"] == chain.get_absolute_url()
    steps = list(chain.steps.order_by("position"))
    assert [(s.position, s.name) for s in steps] == [(1, "Leder"), (2, "DPO")]
    assert steps[0].checklist_items() == ["Ring", "Skriv log"]
    assert set(steps[1].notify_roles.all()) == set(roles)
    event = TimelineEvent.objects.get(subject_type="beredskab.escalationchain")
    assert event.kind == "chain.created"
    assert "steps" in event.data["changed"]


def test_it_swaps_two_steps(client_as, systemkoordinator, chain):
    first = _step(chain, 1, name="Først", notify_nearest_leader=True)
    second = _step(chain, 2, name="Derefter", notify_nearest_leader=True)
    data = {
        "name": chain.name,
        "event_kind": chain.event_kind,
        **_management(2, 2),
        **_step_fields(0, first, ORDER="2"),
        **_step_fields(1, second, ORDER="1"),
    }
    response = client_as(systemkoordinator).post(
        reverse("directory:chain_edit", args=[chain.pk]), data
    )
    assert response.status_code == 302
    assert list(chain.steps.order_by("position").values_list("name", flat=True)) == [
        "Derefter",
        "Først",
    ]


def test_it_deletes_a_step_and_closes_the_gap(client_as, systemkoordinator, chain):
    first = _step(chain, 1, name="A", notify_nearest_leader=True)
    second = _step(chain, 2, name="B", notify_nearest_leader=True)
    third = _step(chain, 3, name="C", notify_nearest_leader=True)
    data = {
        "name": chain.name,
        "event_kind": chain.event_kind,
        **_management(3, 3),
        **_step_fields(0, first, ORDER="1"),
        **_step_fields(1, second, ORDER="2", DELETE="on"),
        **_step_fields(2, third, ORDER="3"),
    }
    response = client_as(systemkoordinator).post(
        reverse("directory:chain_edit", args=[chain.pk]), data
    )
    assert response.status_code == 302
    assert list(chain.steps.values_list("position", "name")) == [(1, "A"), (2, "C")]


def test_it_ignores_the_empty_extra_step(client_as, systemkoordinator, chain):
    first = _step(chain, 1, name="A", notify_nearest_leader=True)
    client = client_as(systemkoordinator)
    form_html = client.get(reverse("directory:chain_edit", args=[chain.pk])).content.decode()
    assert 'name="steps-1-name"' in form_html  # one empty step to fill in
    data = {
        "name": "Databrud (ny)",
        "event_kind": chain.event_kind,
        "is_active": "on",
        **_management(2, 1),
        **_step_fields(0, first, ORDER="1"),
        "steps-1-by_sms": "on",
        "steps-1-by_email": "on",
        "steps-1-ack_timeout_minutes": "15",
    }
    response = client.post(reverse("directory:chain_edit", args=[chain.pk]), data)
    assert response.status_code == 302
    assert chain.steps.count() == 1
    event = TimelineEvent.objects.get(subject_type="beredskab.escalationchain")
    assert event.data == {"changed": ["name"]}


def test_it_keeps_a_named_person_who_has_left_when_saving(client_as, systemkoordinator, chain):
    step = _step(chain, 1, name="A")
    gone = _person("Gone", is_active=False)
    step.notify_people.set([gone])
    data = {
        "name": chain.name,
        "event_kind": chain.event_kind,
        "is_active": "on",
        **_management(1, 1),
        **_step_fields(0, step, ORDER="1", notify_people=[str(gone.pk)]),
    }
    response = client_as(systemkoordinator).post(
        reverse("directory:chain_edit", args=[chain.pk]), data
    )
    assert response.status_code == 302
    assert list(step.notify_people.all()) == [gone]
