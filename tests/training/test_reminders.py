"""The weekly reminder job: Monday 08:00 Copenhagen time, once per person per week."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from beredskab.models import OutboxMessage
from beredskab.plan_content import MINDZEED_PAGE
from training.models import Assignment
from training.services.assignments import sync_assignments
from training.services.reminders import send_leader_digests, send_weekly_reminders
from training.tasks import weekly_reminders

CPH = ZoneInfo("Europe/Copenhagen")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=CPH)


def reminders():
    return OutboxMessage.objects.filter(idempotency_key__startswith="training:reminder:")


@pytest.fixture
def synced(staff):
    sync_assignments()
    return staff


def test_it_sends_nothing_before_monday_0800_and_one_e_mail_each_after(synced):
    assert send_weekly_reminders(local(2026, 11, 30, 7, 59)) == 0
    assert send_weekly_reminders(local(2026, 11, 30, 8, 0)) == 3
    to = sorted(reminders().values_list("recipient", flat=True))
    assert to == ["boss@example.invalid", "clerk@example.invalid", "worker@example.invalid"]


def test_it_lists_the_outstanding_courses_with_their_links(synced):
    send_weekly_reminders(local(2026, 11, 30, 8, 0))
    mail = reminders().get(recipient="clerk@example.invalid")
    # Every course links to the Mindzeed page on the intranet (the plan names no other).
    assert MINDZEED_PAGE in mail.body
    assert "app.mindzeed.com" not in mail.body
    assert mail.channel == "email"


def test_it_sends_once_however_often_the_job_runs_in_a_week(synced):
    for day, hour, minute in [(30, 8, 0), (30, 8, 15), (30, 23, 45), (1, 9, 0), (6, 23, 59)]:
        month = 11 if day == 30 else 12
        send_weekly_reminders(local(2026, month, day, hour, minute))
    assert reminders().count() == 3


def test_it_sends_again_the_next_week(synced):
    send_weekly_reminders(local(2026, 11, 30, 8, 0))
    send_weekly_reminders(local(2026, 12, 7, 8, 0))
    assert reminders().count() == 6


def test_it_stops_once_the_person_is_done(synced):
    send_weekly_reminders(local(2026, 11, 30, 8, 0))
    Assignment.objects.filter(person=synced["worker"].person).update(
        completed_on=datetime(2026, 12, 2).date()
    )
    send_weekly_reminders(local(2026, 12, 7, 8, 0))
    next_week = reminders().filter(idempotency_key__contains="2026-W50")
    assert sorted(next_week.values_list("recipient", flat=True)) == [
        "boss@example.invalid",
        "clerk@example.invalid",
    ]


def test_it_sends_at_11_when_beat_was_down_at_8(synced):
    assert send_weekly_reminders(local(2026, 11, 30, 11, 0)) == 3


@pytest.mark.parametrize(
    ("before_utc", "at_utc"),
    [
        # Summer time began Sunday 28 March 2027: Monday 08:00 CEST is 06:00 UTC.
        (datetime(2027, 3, 29, 5, 59, tzinfo=UTC), datetime(2027, 3, 29, 6, 0, tzinfo=UTC)),
        # Summer time ended Sunday 25 October 2026: Monday 08:00 CET is 07:00 UTC.
        (datetime(2026, 10, 26, 6, 59, tzinfo=UTC), datetime(2026, 10, 26, 7, 0, tzinfo=UTC)),
    ],
)
def test_it_keeps_monday_0800_local_in_a_week_with_a_daylight_saving_change(
    synced, before_utc, at_utc
):
    assert send_weekly_reminders(before_utc) == 0
    assert send_weekly_reminders(at_utc) == 3
    assert send_weekly_reminders(at_utc) == 0


def test_it_keys_sunday_night_to_the_week_that_is_ending(synced):
    send_weekly_reminders(local(2026, 11, 30, 8, 0))
    # Sunday 23:30 local is Sunday 22:30 UTC, and still ISO week 49 in Copenhagen.
    assert send_weekly_reminders(local(2026, 12, 6, 23, 30)) == 0


def test_it_runs_as_a_task_with_now_as_text(synced):
    assert weekly_reminders(now=local(2026, 11, 30, 9, 0).isoformat()) >= 3
    assert weekly_reminders(now=local(2026, 11, 30, 9, 15).isoformat()) == 0


def test_it_sends_each_leader_one_digest_about_their_department(synced, department):
    assert send_leader_digests(local(2026, 11, 30, 8, 0)) == 1
    assert send_leader_digests(local(2026, 11, 30, 10, 0)) == 0
    digest = OutboxMessage.objects.get(idempotency_key__startswith="training:digest:")
    assert digest.recipient == "boss@example.invalid"
    assert department.name in digest.body
    assert f"{department.name}: 0% complete" in digest.body


def test_it_reminds_nobody_outside_the_audience(synced, make_user):
    make_user("ekstern_dpo", username="dpo", external_organisation="DPO ApS")
    former = synced["worker"].person
    former.is_active = False
    former.save()
    sync_assignments()
    send_weekly_reminders(local(2026, 11, 30, 8, 0))
    to = set(reminders().values_list("recipient", flat=True))
    assert to == {"boss@example.invalid", "clerk@example.invalid"}


def test_it_keeps_other_departments_out_of_a_leader_s_digest(synced, department):
    from beredskab.models import Department, Person

    elsewhere = Department.objects.create(name="Ydelseskontoret")
    Person.objects.create(name="Fremmed Person", department=elsewhere, email="f@example.invalid")
    sync_assignments()
    send_leader_digests(local(2026, 11, 30, 8, 0))
    digest = OutboxMessage.objects.get(idempotency_key__startswith="training:digest:")
    assert department.name in digest.body
    assert "Ydelseskontoret" not in digest.body
