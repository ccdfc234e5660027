"""The subject owns its run: once a system outage is restored (or dismissed), nothing
more is sent for it. Counted at the fake Twilio server, with a fixed clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from beredskab import timeline
from beredskab.escalation import engine
from beredskab.models import EscalationRun, OutboxMessage, RunStatus, Status, StepStatus
from beredskab.roles import Role
from outages.models import OutageStatus, SystemOutage
from outages.services.system import declare, report
from tests.fakes import FakeTwilio


@pytest.fixture
def fake(settings):
    with FakeTwilio(send_callbacks=False) as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server


@pytest.fixture
def staff(make_user, department):
    """The people the plan's system-outage chain reaches, each with a deputy."""
    boss = make_user(Role.MEDARBEJDER, Role.LEDER, username="boss").person
    department.leaders.add(boss)
    koordinator = make_user(Role.SYSTEMKOORDINATOR, username="koordinator").person
    for person in (boss, koordinator):
        person.deputy = make_user(Role.MEDARBEJDER, username=f"deputy-{person.pk}").person
        person.save(update_fields=["deputy"])
    make_user(Role.EKSTERN_DPO, username="dpo", external_organisation="DPO ApS")
    make_user(Role.IT, username="it-2")
    return {"boss": boss, "koordinator": koordinator}


def _declared(employee, it_user, sbsys, now, run_hooks):
    outage = report(employee, description="SBSYS svarer ikke", system=sbsys, now=now)
    with run_hooks(execute=True):
        declare(outage, [(sbsys, "down")], actor=it_user, now=now)
    outage.refresh_from_db()
    return outage


def test_it_sends_nothing_after_the_subject_is_restored_a_minute_before_the_timeout(
    plan, staff, employee, it_user, sbsys, fake, django_capture_on_commit_callbacks
):
    t0 = timezone.now().replace(microsecond=0)
    outage = _declared(employee, it_user, sbsys, t0, django_capture_on_commit_callbacks)
    run = EscalationRun.objects.get(pk=outage.run_id)
    first = run.steps.get(position=1)
    assert first.ack_timeout_minutes == 15
    told = len(fake.messages)
    assert told >= 2  # the leader and the systemkoordinator

    with django_capture_on_commit_callbacks(execute=True):
        outage.mark_restored(note="Kører igen", actor=it_user, now=t0 + timedelta(minutes=14))
    # The step's timeout, the deputies' time, the next step's time, the alarm's.
    for minutes in (15, 16, 30, 31, 46, 61, 62, 120, 600):
        with django_capture_on_commit_callbacks(execute=True):
            engine.tick(t0 + timedelta(minutes=minutes))

    assert len(fake.messages) == told
    run.refresh_from_db()
    assert run.status == RunStatus.RESOLVED
    assert run.closed_by_text == it_user.person.name
    assert set(run.steps.values_list("status", flat=True)) == {StepStatus.CANCELLED}
    event = timeline.events_for(run).get(kind="run.subject_closed")
    assert "restored" in event.data["reason"].lower() or "genetableret" in event.data["reason"]


def test_it_cancels_the_messages_not_yet_handed_to_the_provider(
    plan, staff, employee, it_user, sbsys, fake
):
    t0 = timezone.now()
    outage = report(employee, description="SBSYS svarer ikke", system=sbsys, now=t0)
    declare(outage, [(sbsys, "down")], actor=it_user, now=t0)  # no commit hooks: nothing sent
    outage.refresh_from_db()
    group = EscalationRun.objects.get(pk=outage.run_id).group_key
    assert OutboxMessage.objects.filter(group_key=group, status=Status.PENDING).exists()

    outage.mark_restored(note="", actor=it_user, now=t0 + timedelta(minutes=1))

    statuses = set(OutboxMessage.objects.filter(group_key=group).values_list("status", flat=True))
    assert statuses == {Status.CANCELLED}
    assert fake.messages == []


def test_the_tick_ends_a_run_whose_subject_closed_by_another_path(
    plan, staff, employee, it_user, sbsys, fake, django_capture_on_commit_callbacks
):
    t0 = timezone.now().replace(microsecond=0)
    outage = _declared(employee, it_user, sbsys, t0, django_capture_on_commit_callbacks)
    told = len(fake.messages)
    # A path that forgot to end the run (a raw update): the tick checks the subject.
    SystemOutage.objects.filter(pk=outage.pk).update(status=OutageStatus.RESTORED)
    with django_capture_on_commit_callbacks(execute=True):
        counts = engine.tick(t0 + timedelta(minutes=16))
    assert counts["ended"] == 1 and counts["reminded"] == 0
    assert len(fake.messages) == told
    assert EscalationRun.objects.get(pk=outage.run_id).status == RunStatus.RESOLVED


def test_the_run_knows_its_subject(plan, staff, employee, it_user, sbsys):
    outage = report(employee, description="SBSYS svarer ikke", system=sbsys)
    declare(outage, [(sbsys, "down")], actor=it_user)
    outage.refresh_from_db()
    run = EscalationRun.objects.get(pk=outage.run_id)
    assert (run.subject_type, run.subject_id) == ("outages.systemoutage", str(outage.pk))
