"""The 72-hour clock: elapsed real time (also across DST), stops, reminders, submissions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from beredskab import timeline
from beredskab.models import OutboxMessage
from incidents.models import Incident
from incidents.services.clock import send_clock_reminders
from incidents.services.gdpr import decide

CPH = ZoneInfo("Europe/Copenhagen")


def incident_at(aware_at, **fields) -> Incident:
    return Incident.objects.create(
        reference=f"H-T-{Incident.objects.count() + 1}",
        description="x",
        reported_at=aware_at,
        aware_at=aware_at,
        personal_data=fields.pop("personal_data", "yes"),
        **fields,
    )


def test_it_counts_72_real_hours_across_the_october_dst_change(db):
    # 24 October 2026 12:00 in Copenhagen (CEST, UTC+2); clocks go back on 25 October.
    aware = datetime(2026, 10, 24, 12, 0, tzinfo=CPH)
    incident = incident_at(aware)
    deadline = incident.deadline
    assert deadline - aware.astimezone(UTC) == timedelta(hours=72)
    # In local time that is 11:00 on the 27th (CET, UTC+1), not 12:00.
    assert deadline.astimezone(CPH).hour == 11
    just_before = datetime(2026, 10, 27, 10, 59, tzinfo=CPH)
    just_after = datetime(2026, 10, 27, 11, 1, tzinfo=CPH)
    assert incident.clock_state(just_before) == "running"
    assert incident.clock_state(just_after) == "overdue"
    assert incident.clock_view(just_before)["left_minutes"] == 1


def test_it_counts_72_real_hours_across_the_march_dst_change(db):
    aware = datetime(2026, 3, 28, 12, 0, tzinfo=CPH)
    incident = incident_at(aware)
    assert incident.deadline.astimezone(CPH) == datetime(2026, 3, 31, 13, 0, tzinfo=CPH)


def test_it_runs_for_dont_know_and_not_without_personal_data(db):
    now = timezone.now()
    assert incident_at(now, personal_data="unknown").clock_state(now) == "running"
    assert incident_at(now, personal_data="no").clock_state(now) == "n/a"


def test_it_sends_reminders_at_24_48_and_66_hours_once_each(db, people):
    aware = datetime(2026, 10, 24, 12, 0, tzinfo=CPH)
    incident = incident_at(aware)
    koordinator = people["koordinator"].person
    dpo = people["dpo"].person

    def sms_keys():
        return set(
            OutboxMessage.objects.filter(channel="sms").values_list("idempotency_key", flat=True)
        )

    assert send_clock_reminders(aware + timedelta(hours=23, minutes=59)) == 0
    assert send_clock_reminders(aware + timedelta(hours=24)) == 1
    assert send_clock_reminders(aware + timedelta(hours=25)) == 0  # nothing new is due
    assert send_clock_reminders(aware + timedelta(hours=48)) == 1
    assert send_clock_reminders(aware + timedelta(hours=66)) == 1
    assert send_clock_reminders(aware + timedelta(hours=80)) == 0
    for hours in (24, 48, 66):
        for person in (koordinator, dpo):
            assert f"incident:{incident.pk}:clock:{hours}h:person:{person.pk}:sms" in sms_keys()
    assert OutboxMessage.objects.filter(channel="sms").count() == 6
    # Nobody else (the reporter, the leader, IT) gets the reminders.
    assert set(OutboxMessage.objects.values_list("person_id", flat=True)) == {
        koordinator.pk,
        dpo.pk,
    }
    body = OutboxMessage.objects.filter(channel="sms").first().body
    assert incident.reference in body
    reminders = [e for e in timeline.events_for(incident) if e.kind == "incident.clock_reminder"]
    assert [e.data["hours"] for e in reminders] == [24, 48, 66]


def test_it_sends_nothing_twice_when_the_job_runs_twice(db, people):
    aware = timezone.now() - timedelta(hours=30)
    incident_at(aware)
    now = timezone.now()
    assert send_clock_reminders(now) == 1
    Incident.objects.update(reminders_sent=0)  # as if a second job read the row before
    send_clock_reminders(now)
    assert OutboxMessage.objects.filter(channel="sms").count() == 2


def test_it_sends_no_reminder_once_the_clock_stopped(db, people):
    aware = timezone.now() - timedelta(hours=50)
    incident = incident_at(aware)
    decide(
        incident,
        decision="not_notify",
        no_risk_reason="no_loss",
        rationale="Ingen risiko",
        inform_subjects="no",
        actor=people["koordinator"],
    )
    assert send_clock_reminders(timezone.now()) == 0
    assert not OutboxMessage.objects.exists()


def test_it_stops_at_the_first_submission_and_records_each_phase(client_as, people, make_incident):
    incident = make_incident()
    client = client_as(people["koordinator"])
    first = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("incidents:notify", args=[incident.pk]),
        {"phase": "initial", "submitted_at": first, "receipt_number": "DT-2026-1"},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.notified_at is not None
    assert incident.clock_stopped_at == incident.notified_at
    stopped = incident.clock_stopped_at
    client.post(
        reverse("incidents:notify", args=[incident.pk]),
        {
            "phase": "supplement",
            "submitted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "receipt_number": "DT-2026-2",
        },
    )
    incident.refresh_from_db()
    assert incident.clock_stopped_at == stopped
    assert list(incident.notifications.values_list("receipt_number", flat=True)) == [
        "DT-2026-1",
        "DT-2026-2",
    ]


def test_it_refuses_a_submission_without_receipt_or_in_the_future(client_as, people, make_incident):
    incident = make_incident()
    client = client_as(people["koordinator"])
    url = reverse("incidents:notify", args=[incident.pk])
    future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    assert (
        client.post(
            url, {"phase": "initial", "submitted_at": future, "receipt_number": "1"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            url, {"phase": "initial", "submitted_at": now, "receipt_number": ""}
        ).status_code
        == 400
    )
    assert not incident.notifications.exists()
    assert client_as(people["dpo"]).get(url).status_code == 403


def test_it_shows_an_overdue_clock_plainly(client_as, people, db):
    incident = incident_at(timezone.now() - timedelta(hours=75))
    html = client_as(people["koordinator"]).get(incident.get_absolute_url()).content.decode()
    assert "clock-overdue" in html
    assert "OVERDUE" in html or "OVERSKREDET" in html.upper()


def test_it_uses_the_reminder_task_with_now(db, people):
    from incidents.tasks import clock_reminders

    incident_at(timezone.now() - timedelta(hours=49))
    assert clock_reminders((timezone.now()).isoformat()) == 1
    sent = OutboxMessage.objects.filter(channel="sms")
    assert {k.split(":")[3] for k in sent.values_list("idempotency_key", flat=True)} == {"48h"}


def test_it_is_scheduled_by_beat():
    from beredskab.celery import app

    entry = app.conf.beat_schedule["incidents-clock-reminders"]
    assert entry["task"] == "incidents.clock_reminders"
    assert entry["task"] in app.tasks
