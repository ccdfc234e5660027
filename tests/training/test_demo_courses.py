"""A fresh demo shows its people their courses at once (issue 21): load_plan syncs the
assignments before load_demo creates the people, so load_demo syncs them again."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from training.models import Assignment

pytestmark = pytest.mark.django_db


def test_the_demos_people_have_their_courses_right_after_load_demo():
    call_command("load_plan", stdout=StringIO())
    assert not Assignment.objects.exists()  # nobody yet
    call_command("load_demo", stdout=StringIO())
    employee = User.objects.get(username="medarbejder")
    assert Assignment.objects.filter(person__user=employee).exists()
