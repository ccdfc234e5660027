"""Fixtures for the training tests: the plan's courses and a small department."""

from __future__ import annotations

import pytest

from beredskab.roles import Role
from training.models import Assignment, Course
from training.plan import load_courses

ONBOARDING = 7


@pytest.fixture(autouse=True)
def english(settings):
    """These tests read the English source texts (the Danish pass comes at the end)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def courses(db):
    load_courses()
    return {c.key: c for c in Course.objects.all()}


@pytest.fixture
def staff(db, department, make_user, courses):
    """An employee, a frontdesk clerk and the unit's leader, all with IT access."""
    worker = make_user(Role.MEDARBEJDER, username="worker", employee_number="1001")
    clerk = make_user(Role.MEDARBEJDER, Role.FRONTDESK, username="clerk", employee_number="1002")
    boss = make_user(Role.MEDARBEJDER, Role.LEDER, username="boss")
    department.leaders.add(boss.person)
    return {"worker": worker, "clerk": clerk, "boss": boss}


def keys_of(person) -> set[str]:
    return set(
        Assignment.objects.current().filter(person=person).values_list("course__key", flat=True)
    )
