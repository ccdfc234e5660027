"""The run's and steps' state machines, completion rules per step, and the link of a
run that has ended."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from beredskab import timeline
from beredskab.escalation import engine
from beredskab.escalation.notifying import notify_people
from beredskab.models import (
    AckToken,
    Completion,
    EscalationChain,
    EscalationError,
    EscalationRun,
    EscalationStep,
    EventKind,
    RunRecipient,
    RunStatus,
    RunStep,
    StepStatus,
)
from beredskab.models.escalation_states import LEADER, role_position
from beredskab.notify.sms import LocmemBackend
from beredskab.roles import Role


@pytest.fixture(autouse=True)
def clean_sms():
    LocmemBackend.sent.clear()
    yield
    LocmemBackend.sent.clear()


@pytest.fixture
def people(db, department, make_user):
    reporter = make_user(Role.MEDARBEJDER, username="reporter").person
    boss = make_user(Role.MEDARBEJDER, Role.LEDER, username="boss", name="Lone Petersen").person
    department.leaders.add(boss)
    group = [make_user(Role.BEREDSKABSGRUPPE, username=f"gruppe-{n}").person for n in (1, 2)]
    frontdesk = make_user(Role.FRONTDESK, username="frontdesk").person
    return {"reporter": reporter, "boss": boss, "group": group, "frontdesk": frontdesk}


def _chain(completion: str, positions: list[str]) -> EscalationChain:
    chain = EscalationChain.objects.create(name="El", event_kind=EventKind.POWER_OUTAGE)
    first = EscalationStep.objects.create(
        chain=chain,
        position=1,
        name="Nærmeste leder og beredskabsgruppen",
        notify_nearest_leader=True,
        completion=completion,
        positions=positions,
    )
    first.notify_roles.set(Group.objects.filter(name=Role.BEREDSKABSGRUPPE))
    second = EscalationStep.objects.create(chain=chain, position=2, name="Frontdesk")
    second.notify_roles.set(Group.objects.filter(name=Role.FRONTDESK))
    return chain


def _start(chain, people, hooks, now=None):
    with hooks(execute=True):
        return engine.start_run(
            chain, title="Strømmen er gået", reporter=people["reporter"], now=now
        )


def _token_for(run, person, django_capture_on_commit_callbacks) -> str:
    """A fresh link for `person` on the run's live step (the SMS holds the only copy)."""
    step = run.steps.get(status__in=[StepStatus.NOTIFIED, StepStatus.REMINDED])
    before = set(AckToken.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        notify_people(step, [(person, None)], kind="link", now=timezone.now())
    (new,) = AckToken.objects.exclude(pk__in=before)
    sms = [m["body"] for m in LocmemBackend.sent if m["to"] == str(person.mobile)][-1]
    token = sms.rsplit("/a/", 1)[1].strip("/").split("/")[0]
    assert AckToken.hash(token) == new.token_hash
    return token


def test_an_each_position_step_waits_for_the_leader_after_a_group_member_confirms(
    people, client, django_capture_on_commit_callbacks
):
    chain = _chain(Completion.EACH_POSITION, [LEADER, role_position(Role.BEREDSKABSGRUPPE)])
    run = _start(chain, people, django_capture_on_commit_callbacks)
    first = run.steps.get(position=1)
    assert first.completion == Completion.EACH_POSITION  # snapshotted
    member = people["group"][0]
    token = _token_for(run, member, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("escalation:ack", args=[token]))
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.status == StepStatus.NOTIFIED  # still open: the leader has not answered
    assert RunRecipient.objects.get(step=first, person=member).acknowledged_at is not None
    assert run.steps.get(position=2).status == StepStatus.WAITING
    assert timeline.events_for(run).filter(kind="step.confirmed").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        result = engine.acknowledge(first, by=people["boss"], via="portal")
    assert result.completed
    first.refresh_from_db()
    assert first.status == StepStatus.ACKNOWLEDGED
    assert first.acknowledged_by == people["boss"]
    assert run.steps.get(position=2).status == StepStatus.NOTIFIED


def test_an_anyone_step_completes_on_the_first_confirmation(
    people, django_capture_on_commit_callbacks
):
    run = _start(_chain(Completion.ANYONE, []), people, django_capture_on_commit_callbacks)
    first = run.steps.get(position=1)
    with django_capture_on_commit_callbacks(execute=True):
        result = engine.acknowledge(first, by=people["group"][1])
    assert result.completed
    assert run.steps.get(position=2).status == StepStatus.NOTIFIED


def test_an_everyone_step_waits_for_every_person_told(people, django_capture_on_commit_callbacks):
    run = _start(_chain(Completion.EVERYONE, []), people, django_capture_on_commit_callbacks)
    first = run.steps.get(position=1)
    for person in (people["boss"], people["group"][0]):
        with django_capture_on_commit_callbacks(execute=True):
            assert not engine.acknowledge(first, by=person).completed
    with django_capture_on_commit_callbacks(execute=True):
        assert engine.acknowledge(first, by=people["group"][1]).completed


def test_the_run_page_shows_who_has_and_has_not_acknowledged(
    people, client_as, django_capture_on_commit_callbacks, systemkoordinator
):
    chain = _chain(Completion.EACH_POSITION, [LEADER, role_position(Role.BEREDSKABSGRUPPE)])
    run = _start(chain, people, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        engine.acknowledge(run.steps.get(position=1), by=people["group"][0])
    page = client_as(people["boss"].user).get(reverse("escalation:run", args=[run.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    member_line = html.split(people["group"][0].name, 1)[1].split("</li>", 1)[0]
    boss_line = html.split(people["boss"].name + ":", 1)[1].split("</li>", 1)[0]
    assert "acknowledged at" in member_line or "kvitteret kl." in member_line
    assert "not acknowledged" in boss_line or "ikke kvitteret" in boss_line


def test_the_link_of_an_ended_run_says_who_closed_the_case_and_when(
    people, client, settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "da"
    run = _start(_chain(Completion.ANYONE, []), people, django_capture_on_commit_callbacks)
    member = people["group"][0]
    token = _token_for(run, member, django_capture_on_commit_callbacks)
    closed = datetime(2026, 3, 2, 7, 56, tzinfo=ZoneInfo("Europe/Copenhagen"))
    engine.close(
        run, status=RunStatus.RESOLVED, actor=people["boss"].user, reason="Løst", now=closed
    )
    for method in (client.get, client.post):
        response = method(reverse("escalation:ack", args=[token]), HTTP_ACCEPT_LANGUAGE="da")
        assert response.status_code == 200
        assert (
            "Sagen er afsluttet kl. 07:56 af Lone Petersen – du behøver ikke gøre mere."
            in response.content.decode()
        )
    assert run.steps.get(position=1).recipients.get(person=member).acknowledged_at is None


def test_an_unknown_link_is_still_not_valid(client, db):
    assert client.post(reverse("escalation:ack", args=["x" * 22])).status_code == 410


def test_no_status_moves_outside_the_transition_table(people, django_capture_on_commit_callbacks):
    run = _start(_chain(Completion.ANYONE, []), people, django_capture_on_commit_callbacks)
    engine.close(run, status=RunStatus.CANCELLED, actor="test", reason="Øvelse slut")
    run = EscalationRun.objects.get(pk=run.pk)
    with pytest.raises(EscalationError):  # not locked
        run.move(RunStatus.ACTIVE, kind="x", now=timezone.now())
    from django.db import transaction

    with transaction.atomic():
        locked = EscalationRun.objects.lock(run.pk)
        with pytest.raises(EscalationError):  # cancelled is final
            locked.move(RunStatus.ACTIVE, kind="x", now=timezone.now())
        step = RunStep.objects.lock(run.steps.get(position=1).pk, locked)
        with pytest.raises(EscalationError):
            step.move(StepStatus.NOTIFIED, locked, kind="x", now=timezone.now())
    with pytest.raises(EscalationError):
        engine.close(run, status=RunStatus.RESOLVED, actor="test", reason="igen")


def test_every_transition_is_on_the_timeline_with_who_and_why(
    people, django_capture_on_commit_callbacks
):
    t0 = timezone.now()
    run = _start(_chain(Completion.ANYONE, []), people, django_capture_on_commit_callbacks, t0)
    with django_capture_on_commit_callbacks(execute=True):
        engine.tick(t0 + timedelta(minutes=16))
    events = {e.kind: e for e in timeline.events_for(run)}
    assert events["step.started"].data["to"] == StepStatus.NOTIFIED
    reminded = events["step.reminded"]
    assert reminded.data["from"] == StepStatus.NOTIFIED and reminded.data["why"]
    assert reminded.actor_text  # the escalation's clock


def test_the_chain_form_refuses_a_position_nobody_on_the_step_can_fill(
    client_as, systemkoordinator, people, settings
):
    settings.LANGUAGE_CODE = "da"
    chain = _chain(Completion.ANYONE, [])
    step = chain.steps.get(position=1)
    client = client_as(systemkoordinator)
    frontdesk = Group.objects.get(name=Role.FRONTDESK)
    data = {
        "name": chain.name,
        "event_kind": chain.event_kind,
        "is_active": "on",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "1",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-id": str(step.pk),
        "steps-0-chain": str(chain.pk),
        "steps-0-name": step.name,
        "steps-0-notify_roles": [str(Group.objects.get(name=Role.BEREDSKABSGRUPPE).pk)],
        "steps-0-by_sms": "on",
        "steps-0-ack_timeout_minutes": "15",
        "steps-0-ORDER": "1",
        "steps-0-completion": Completion.EACH_POSITION,
        # Frontdesk is not on this step, and nobody was asked to tell the leader.
        "steps-0-positions": [role_position(Role.FRONTDESK), LEADER],
    }
    assert frontdesk.pk
    response = client.post(
        reverse("directory:chain_edit", args=[chain.pk]), data, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ingen på trinnet kan udfylde positionen" in html
    step.refresh_from_db()
    assert step.completion == Completion.ANYONE and step.positions == []

    data["steps-0-positions"] = [role_position(Role.BEREDSKABSGRUPPE)]
    response = client.post(reverse("directory:chain_edit", args=[chain.pk]), data)
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.completion == Completion.EACH_POSITION
    assert step.positions == [role_position(Role.BEREDSKABSGRUPPE)]
