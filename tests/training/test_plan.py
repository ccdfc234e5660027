"""load_plan's training part, and the periodic jobs on beat's static schedule."""

from __future__ import annotations

import io

from beredskab.celery import app
from training.models import Assignment, Course, Module
from training.plan import load_courses
from training.tasks import sync_assignments as sync_task


def test_it_loads_seven_onboarding_courses_and_two_targeted_modules(db):
    load_courses()
    onboarding = Module.objects.get(key="onboarding")
    assert onboarding.for_everyone
    assert onboarding.courses.count() == 7
    targeted = Module.objects.filter(for_everyone=False)
    assert sorted(targeted.values_list("key", flat=True)) == ["frontdesk", "leaders"]
    assert all(m.roles.exists() and m.courses.exists() for m in targeted)
    assert all(c.url.startswith("https://") for c in Course.objects.all())


def test_it_keeps_staff_edits_when_loaded_again(db):
    load_courses()
    Course.objects.filter(key="phishing").update(title="Phishing (ny udgave)")
    assert load_courses() == 0
    assert Course.objects.get(key="phishing").title == "Phishing (ny udgave)"


def test_it_assigns_the_people_from_the_app_hook(staff):
    from django.apps import apps

    out = io.StringIO()
    apps.get_app_config("training").load_plan(out)
    assert Assignment.objects.count() == 7 + 9 + 9
    assert "assignments created" in out.getvalue()


def test_it_syncs_from_the_hourly_task(staff):
    assert sync_task() == 25
    assert sync_task() == 0


def test_it_schedules_the_sync_hourly_and_the_reminders_every_15_minutes():
    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    assert schedule["training.sync_assignments"] == 3600
    assert schedule["training.weekly_reminders"] == 900
    assert {"training.sync_assignments", "training.weekly_reminders"} <= set(app.tasks)
