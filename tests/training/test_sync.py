"""sync_assignments(): the assignments match the people, idempotently."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from beredskab.models import Department, Person
from beredskab.roles import Role
from beredskab.timeline import events_for
from tests.training.conftest import ONBOARDING, keys_of
from training.models import Assignment, DeadlineFrom, Module
from training.services.assignments import sync_assignments


def test_it_assigns_the_onboarding_module_to_everyone_with_it_access(staff):
    sync_assignments()
    worker = staff["worker"].person
    assert len(keys_of(worker)) == ONBOARDING
    assert "phishing" in keys_of(worker)
    assert not keys_of(worker) & {"frontdesk-sms", "leaders-culture"}


def test_it_assigns_targeted_modules_by_role(staff):
    sync_assignments()
    assert {"frontdesk-identity", "frontdesk-sms"} <= keys_of(staff["clerk"].person)
    assert {"leaders-breach", "leaders-culture"} <= keys_of(staff["boss"].person)
    assert len(keys_of(staff["boss"].person)) == ONBOARDING + 2


def test_it_assigns_a_module_to_a_department_and_its_units(staff, department, make_user):
    module = Module.objects.get(key="frontdesk")
    module.departments.add(department.parent)
    sync_assignments()
    assert "frontdesk-sms" in keys_of(staff["worker"].person)


def test_it_gives_external_people_and_people_without_it_access_nothing(staff, make_user):
    dpo = make_user(Role.EKSTERN_DPO, username="dpo", external_organisation="DPO ApS")
    offline = make_user(Role.MEDARBEJDER, username="offline", has_it_access=False)
    sync_assignments()
    assert keys_of(dpo.person) == set()
    assert keys_of(offline.person) == set()


def test_it_changes_nothing_when_run_twice(staff):
    first = sync_assignments()
    count = Assignment.objects.count()
    second = sync_assignments()
    assert first.created == count > 0
    assert not second.changed
    assert Assignment.objects.count() == count


def test_it_withdraws_a_role_s_courses_but_keeps_the_completed_ones(staff):
    sync_assignments()
    clerk = staff["clerk"].person
    done = Assignment.objects.get(person=clerk, course__key="frontdesk-sms")
    done.completed_on = date(2026, 1, 5)
    done.save()
    clerk.roles.remove(Group.objects.get(name=Role.FRONTDESK))
    result = sync_assignments()
    assert result.withdrawn == 1
    assert keys_of(clerk) == keys_of(staff["worker"].person) | {"frontdesk-sms"}
    # Withdrawn, not deleted: the record stays.
    assert Assignment.objects.filter(person=clerk, course__key="frontdesk-identity").exists()
    assert Assignment.objects.get(pk=done.pk).completed_on == date(2026, 1, 5)


def test_it_withdraws_and_restores_when_it_access_goes_and_comes_back(staff):
    sync_assignments()
    worker = staff["worker"].person
    worker.has_it_access = False
    worker.save()
    assert sync_assignments().withdrawn == ONBOARDING
    assert keys_of(worker) == set()
    worker.has_it_access = True
    worker.save()
    result = sync_assignments()
    assert result.restored == ONBOARDING and result.created == 0
    assert len(keys_of(worker)) == ONBOARDING


def test_it_follows_a_move_to_a_department_with_its_own_module(staff):
    frontline = Department.objects.create(name="Borgerservice")
    Module.objects.get(key="frontdesk").departments.add(frontline)
    sync_assignments()
    worker = staff["worker"].person
    assert "frontdesk-sms" not in keys_of(worker)
    worker.department = frontline
    worker.save()
    sync_assignments()
    assert "frontdesk-sms" in keys_of(worker)


def test_it_counts_the_deadline_from_a_future_start_date(courses, department):
    start = timezone.localdate() + timedelta(days=10)
    newcomer = Person.objects.create(name="Ny Medarbejder", department=department, start_date=start)
    sync_assignments()
    phishing = Assignment.objects.get(person=newcomer, course__key="phishing")
    assert courses["phishing"].deadline_from == DeadlineFrom.START_DATE
    assert phishing.due_on == start + timedelta(days=30)
    targeted = courses["frontdesk-sms"]
    assert targeted.due_on(newcomer, date(2026, 1, 1)) == date(2026, 1, 31)


def test_it_writes_the_change_on_the_person_s_timeline(staff):
    sync_assignments()
    events = list(events_for(staff["worker"].person))
    assert events[-1].kind == "training.assignments_synced"
    assert "phishing" in events[-1].data["courses"]


def test_it_runs_after_the_directory_saves_a_person(
    courses, systemkoordinator, client_as, django_capture_on_commit_callbacks
):
    client = client_as(systemkoordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("directory:person_create"),
            {"name": "Ny Kollega", "has_it_access": "on", "is_active": "on"},
        )
    assert response.status_code == 302
    assert len(keys_of(Person.objects.get(name="Ny Kollega"))) == ONBOARDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:person_create"),
            {"name": "Ekstern DPO", "external_organisation": "DPO-firmaet", "is_active": "on"},
        )
    assert keys_of(Person.objects.get(name="Ekstern DPO")) == set()


def test_it_reads_the_change_in_words_on_the_timeline(staff):
    from beredskab.timeline import describe

    sync_assignments()
    text = describe(events_for(staff["worker"].person).last())
    assert text.startswith("Mandatory courses now:")
    assert "phishing" in text
