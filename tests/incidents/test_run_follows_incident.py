"""The incident owns its escalation run: closing it ends the run; the 72-hour deadline
reaches the chain's management step at the deadline and again when it is passed."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from beredskab import timeline
from beredskab.escalation import engine
from beredskab.models import EscalationRun, OutboxMessage, RunStatus
from incidents.models import IncidentStatus
from incidents.services.deadline import escalate_deadlines
from incidents.services.triage import transition


def _run(incident) -> EscalationRun:
    incident.refresh_from_db()
    return EscalationRun.objects.get(pk=incident.run_id)


def test_closing_the_incident_ends_its_run_and_reopening_does_not_restart_it(
    make_incident, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = make_incident()
    run = _run(incident)
    assert (run.subject_type, run.subject_id) == ("incidents.incident", str(incident.pk))
    transition(incident, IncidentStatus.CLOSED, actor=people["koordinator"], reason="Falsk alarm")
    run.refresh_from_db()
    assert run.status == RunStatus.RESOLVED and run.close_reason == "Falsk alarm"
    sent = OutboxMessage.objects.filter(group_key=run.group_key).count()

    transition(incident, IncidentStatus.REOPENED, actor=people["koordinator"], reason="Ny viden")
    with django_capture_on_commit_callbacks(execute=True):
        engine.tick(timezone.now() + timedelta(hours=3))
    run.refresh_from_db()
    assert run.status == RunStatus.RESOLVED
    assert OutboxMessage.objects.filter(group_key=run.group_key).count() == sent
    assert EscalationRun.objects.filter(subject_id=str(incident.pk)).count() == 1


def test_the_deadline_reaches_the_management_step_at_72_hours_and_when_passed(
    make_incident, people, django_capture_on_commit_callbacks, settings
):
    settings.LANGUAGE_CODE = "en"
    with django_capture_on_commit_callbacks(execute=True):
        incident = make_incident()
    run = _run(incident)
    aware = incident.aware_at
    last = run.steps.order_by("-position").first()
    key = f"run:{run.pk}:deadline:"

    assert escalate_deadlines(aware + timedelta(hours=71, minutes=59)) == 0
    assert escalate_deadlines(aware + timedelta(hours=72)) == 1
    assert escalate_deadlines(aware + timedelta(hours=73)) == 0  # nothing new is due
    assert escalate_deadlines(aware + timedelta(hours=78, minutes=30)) == 1
    assert escalate_deadlines(aware + timedelta(hours=100)) == 0

    messages = OutboxMessage.objects.filter(idempotency_key__startswith=key, channel="sms")
    told = {m.person_id for m in messages}
    assert told == {people["it"].person.pk}  # the plan's last step: IT (ledelse)
    bodies = sorted(m.body for m in messages if ":78h:" in m.idempotency_key)
    assert bodies and all("6 h 30 min ago" in body for body in bodies)
    assert timeline.events_for(run).filter(kind="run.deadline_escalated").count() == 2
    assert (
        last.name in timeline.events_for(run).filter(kind="run.deadline_escalated")[0].data["step"]
    )


def test_no_deadline_escalation_once_the_incident_is_closed(
    make_incident, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = make_incident()
    transition(incident, IncidentStatus.CLOSED, actor=people["koordinator"], reason="Løst")
    escalate_deadlines(incident.aware_at + timedelta(hours=72))
    run = _run(incident)
    assert not OutboxMessage.objects.filter(
        idempotency_key__startswith=f"run:{run.pk}:deadline:"
    ).exists()


def test_a_reopened_incident_offers_a_new_run_and_starts_one_once(
    make_incident, people, client_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = make_incident()
    first = _run(incident)
    koordinator = people["koordinator"]
    transition(incident, IncidentStatus.CLOSED, actor=koordinator, reason="Løst")
    transition(incident, IncidentStatus.REOPENED, actor=koordinator, reason="Ny viden")
    client = client_as(koordinator)
    page = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    url = reverse("incidents:new_escalation", args=[incident.pk])
    assert url in page
    for _press in range(2):  # a second press starts nothing more
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url).status_code == 302
    runs = EscalationRun.objects.filter(subject_id=str(incident.pk)).order_by("pk")
    assert runs.count() == 2
    first.refresh_from_db()
    assert first.status == RunStatus.RESOLVED  # the old steps never restart
    assert runs.last().status == RunStatus.ACTIVE
    assert _run(incident) == runs.last()
