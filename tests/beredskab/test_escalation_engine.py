"""The escalation engine with the locmem SMS backend and eager tasks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from beredskab.escalation import engine
from beredskab.models import (
    Absence,
    EscalationChain,
    EscalationStep,
    EventKind,
    OutboxMessage,
    Person,
    RunStatus,
    Status,
    StepStatus,
)
from beredskab.notify.sms import LocmemBackend
from beredskab.roles import Role


@pytest.fixture(autouse=True)
def clean_sms():
    LocmemBackend.sent.clear()
    LocmemBackend.fail_next.clear()
    yield
    LocmemBackend.sent.clear()


@pytest.fixture
def people(db, department, make_user):
    reporter = make_user(Role.MEDARBEJDER, username="reporter").person
    boss = make_user(Role.MEDARBEJDER, Role.LEDER, username="boss").person
    department.leaders.add(boss)
    koordinator = make_user(Role.SYSTEMKOORDINATOR, username="koordinator").person
    dpo = make_user(Role.EKSTERN_DPO, username="dpo", external_organisation="DPO ApS").person
    it = make_user(Role.IT, username="itperson").person
    return {"reporter": reporter, "boss": boss, "koordinator": koordinator, "dpo": dpo, "it": it}


@pytest.fixture
def chain(db):
    chain = EscalationChain.objects.create(name="Brud", event_kind=EventKind.BREACH)
    first = EscalationStep.objects.create(
        chain=chain,
        position=1,
        name="Leder og systemkoordinator",
        notify_nearest_leader=True,
        ack_timeout_minutes=15,
        checklist="Systemkoordinator informeret\nVurder omfang",
    )
    first.notify_roles.set(Group.objects.filter(name=Role.SYSTEMKOORDINATOR))
    second = EscalationStep.objects.create(
        chain=chain, position=2, name="DPO og IT", is_external=True, ack_timeout_minutes=30
    )
    second.notify_roles.set(Group.objects.filter(name__in=[Role.EKSTERN_DPO, Role.IT]))
    return chain


def start(chain, people, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return engine.start_run(
            chain,
            title="Mistanke om brud",
            summary="Phishing",
            reporter=people["reporter"],
            **kwargs,
        )


def sms_to(person):
    return [m for m in LocmemBackend.sent if m["to"] == str(person.mobile)]


def test_it_notifies_the_reporters_leader_and_the_systemkoordinator(
    chain, people, django_capture_on_commit_callbacks
):
    run = start(chain, people, django_capture_on_commit_callbacks)
    assert len(sms_to(people["boss"])) == 1
    assert len(sms_to(people["koordinator"])) == 1
    assert sms_to(people["dpo"]) == []
    assert "/a/" in sms_to(people["boss"])[0]["body"]
    assert {m.to[0] for m in mail.outbox} == {people["boss"].email, people["koordinator"].email}
    assert run.steps.get(position=1).status == StepStatus.NOTIFIED


def test_it_snapshots_the_chain_so_later_edits_do_not_change_the_run(
    chain, people, django_capture_on_commit_callbacks
):
    run = start(chain, people, django_capture_on_commit_callbacks)
    chain.steps.filter(position=2).update(name="Changed", ack_timeout_minutes=1)
    assert run.steps.get(position=2).name == "DPO og IT"
    assert run.steps.get(position=2).ack_timeout_minutes == 30


def test_it_reminds_then_notifies_deputies_then_moves_on_then_gives_up(
    chain, people, make_user, django_capture_on_commit_callbacks
):
    deputy = make_user(Role.MEDARBEJDER, username="deputy").person
    Person.objects.filter(pk=people["boss"].pk).update(deputy=deputy)
    run = start(chain, people, django_capture_on_commit_callbacks)
    t0 = run.started_at
    with django_capture_on_commit_callbacks(execute=True):
        assert engine.tick(t0 + timedelta(minutes=14)) == {
            "reminded": 0,
            "timed_out": 0,
            "ended": 0,
        }
        assert engine.tick(t0 + timedelta(minutes=16))["reminded"] == 1
    assert len(sms_to(people["boss"])) == 2  # the notification and one reminder
    assert len(sms_to(deputy)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert engine.tick(t0 + timedelta(minutes=32))["timed_out"] == 1
    assert len(sms_to(people["dpo"])) == 1 and len(sms_to(people["it"])) == 1
    with django_capture_on_commit_callbacks(execute=True):
        engine.tick(t0 + timedelta(minutes=63))
        engine.tick(t0 + timedelta(minutes=94))
    run.refresh_from_db()
    assert run.status == RunStatus.UNACKNOWLEDGED
    alarm = [
        m for m in sms_to(people["koordinator"]) if "NOBODY" in m["body"] or "INGEN" in m["body"]
    ]
    assert len(alarm) == 1


def test_it_is_idempotent_when_the_tick_runs_twice(
    chain, people, django_capture_on_commit_callbacks
):
    run = start(chain, people, django_capture_on_commit_callbacks)
    later = run.started_at + timedelta(minutes=16)
    with django_capture_on_commit_callbacks(execute=True):
        engine.tick(later)
        engine.tick(later)
    assert len(sms_to(people["boss"])) == 2


def test_it_acknowledges_by_link_cancels_the_rest_and_starts_the_next_step(
    chain, people, django_capture_on_commit_callbacks
):
    run = start(chain, people, django_capture_on_commit_callbacks)
    body = sms_to(people["boss"])[0]["body"]
    token = body.rsplit("/a/", 1)[1].strip("/")
    with django_capture_on_commit_callbacks(execute=True):
        result = engine.acknowledge_with_token(token)
    assert result.acknowledged
    step = run.steps.get(position=1)
    assert step.status == StepStatus.ACKNOWLEDGED and step.acknowledged_by == people["boss"]
    assert len(sms_to(people["dpo"])) == 1
    # The link cannot be replayed.
    assert engine.acknowledge_with_token(token) is None
    assert engine.find_token(token) is None


def test_it_refuses_an_expired_or_forged_token(chain, people, django_capture_on_commit_callbacks):
    run = start(chain, people, django_capture_on_commit_callbacks)
    token = sms_to(people["boss"])[0]["body"].rsplit("/a/", 1)[1].strip("/")
    later = run.started_at + timedelta(days=30)
    assert engine.acknowledge_with_token(token, now=later) is None
    assert engine.acknowledge_with_token("x" * 22) is None
    assert run.steps.get(position=1).status == StepStatus.NOTIFIED


def test_it_sends_nothing_more_once_resolved(
    chain, people, django_capture_on_commit_callbacks, employee
):
    run = start(chain, people, django_capture_on_commit_callbacks)
    # A pending reminder that has not reached the provider yet is cancelled by closing.
    engine.close(run, status=RunStatus.RESOLVED, actor=employee, reason="Falsk alarm")
    sent_before = len(LocmemBackend.sent)
    with django_capture_on_commit_callbacks(execute=True):
        engine.tick(run.started_at + timedelta(hours=5))
    assert len(LocmemBackend.sent) == sent_before
    assert not OutboxMessage.objects.filter(status__in=[Status.PENDING, Status.QUEUED]).exists()


def test_it_marks_exercise_messages_and_skips_external_steps(
    chain, people, django_capture_on_commit_callbacks
):
    run = start(
        chain, people, django_capture_on_commit_callbacks, is_exercise=True, include_external=False
    )
    assert sms_to(people["boss"])[0]["body"].startswith("ØVELSE")
    token = sms_to(people["boss"])[0]["body"].rsplit("/a/", 1)[1].strip("/")
    with django_capture_on_commit_callbacks(execute=True):
        engine.acknowledge_with_token(token)
    assert run.steps.get(position=2).status == StepStatus.SKIPPED
    assert sms_to(people["dpo"]) == []


def test_it_notifies_the_deputy_of_an_absent_leader(
    chain, people, make_user, django_capture_on_commit_callbacks
):
    deputy = make_user(Role.MEDARBEJDER, username="stand-in").person
    Person.objects.filter(pk=people["koordinator"].pk).update(deputy=deputy)
    now = timezone.now()
    Absence.objects.create(
        person=people["koordinator"],
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
    )
    start(chain, people, django_capture_on_commit_callbacks)
    assert sms_to(people["koordinator"]) == []
    assert len(sms_to(deputy)) == 1


def test_the_chain_page_offers_the_test_and_the_test_starts_an_exercise(
    chain, people, client_as, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from beredskab.models import EscalationRun

    client = client_as(people["koordinator"].user)
    page = client.get(reverse("directory:chain_detail", args=[chain.pk])).content.decode()
    assert reverse("escalation:chain_test", args=[chain.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("escalation:chain_test", args=[chain.pk]))
    run = EscalationRun.objects.get()
    assert response.status_code == 302 and run.is_exercise and run.is_test
    assert all(m["body"].startswith("ØVELSE") for m in LocmemBackend.sent)
    assert sms_to(people["dpo"]) == []  # external steps are skipped unless included


def _queries_to_start(chain, people) -> int:
    """The queries of start_run's transaction (the hand-over to the workers runs after
    the commit, one task per message, and is not counted here)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        engine.start_run(chain, title="Mistanke om brud", reporter=people["reporter"])
    return len(queries)


def test_starting_a_step_costs_the_same_queries_for_three_people_or_fifteen(
    chain, people, make_user
):
    now = timezone.now()

    def koordinatorer(prefix: str, count: int) -> None:
        # Every third one is away, with a present deputy to stand in.
        for n in range(count):
            koordinator = make_user(Role.SYSTEMKOORDINATOR, username=f"{prefix}-{n}").person
            if n % 3 == 0:
                deputy = make_user(Role.MEDARBEJDER, username=f"{prefix}-deputy-{n}").person
                koordinator.deputy = deputy
                koordinator.save(update_fields=["deputy"])
                Absence.objects.create(
                    person=koordinator,
                    starts_at=now - timedelta(hours=1),
                    ends_at=now + timedelta(days=1),
                )

    koordinatorer("few", 2)
    few = _queries_to_start(chain, people)
    koordinatorer("more", 10)
    many = _queries_to_start(chain, people)
    assert many == few

    run = engine.start_run(chain, title="Endnu en", reporter=people["reporter"])
    told = set(
        run.steps.get(position=1).recipients.values_list("person__user__username", flat=True)
    )
    assert {f"more-deputy-{n}" for n in (0, 3, 6, 9)} <= told  # stand-ins for the absent
    assert not {f"more-{n}" for n in (0, 3, 6, 9)} & told
    assert {f"more-{n}" for n in (1, 2, 4, 5, 7, 8)} <= told


def test_the_run_page_tells_its_timeline_in_words(
    chain, people, client_as, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    run = start(chain, people, django_capture_on_commit_callbacks)
    step = run.steps.get(position=1)
    engine.acknowledge(step, by=people["koordinator"], via="link")
    koordinator = people["koordinator"].user
    html = client_as(koordinator).get(reverse("escalation:run", args=[run.pk])).content.decode()
    assert "Eskalering startet (kæde: Brud)" in html
    assert "Leder og systemkoordinator: underrettet" in html
    assert "Leder og systemkoordinator: kvitteret via linket i SMS&#x27;en" in html
    # The codes stay out of the text (they are kept as data-kind for tools).
    assert ">run.started" not in html and " step.started" not in html
    assert 'data-kind="step.acknowledged"' in html
