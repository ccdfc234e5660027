"""Nearest leader: own unit's leaders (not the person) → the unit's deputy → the parent
unit, and so on up; an absent, inactive or unreachable (no mobile) leader is skipped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from beredskab.models import Absence, Department, Person

NOW = timezone.now()


@pytest.fixture
def tree(db):
    forvaltning = Department.objects.create(name="Beskæftigelse", kind="forvaltning")
    jobcenter = Department.objects.create(name="Jobcenter", parent=forvaltning)
    kis = Department.objects.create(name="KIS", parent=jobcenter)
    return forvaltning, jobcenter, kis


_numbers = iter(range(10_000, 99_999))


def person(name: str, department: Department, *, mobile: bool = True, **fields) -> Person:
    return Person.objects.create(
        name=name,
        department=department,
        mobile=f"+452{next(_numbers):07d}" if mobile else "",
        **fields,
    )


def away(p: Person) -> None:
    Absence.objects.create(
        person=p, starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=1)
    )


def test_it_picks_a_leader_of_the_own_unit(tree):
    _, _, kis = tree
    anna = person("Anna", kis)
    bo = person("Bo", kis)
    kis.leaders.set([bo])
    assert anna.nearest_leader(NOW) == bo


def test_it_picks_leaders_in_name_order(tree):
    _, _, kis = tree
    anna = person("Anna", kis)
    zeta, bo = person("Zeta", kis), person("Bo", kis)
    kis.leaders.set([zeta, bo])
    assert anna.nearest_leader(NOW) == bo


def test_it_skips_an_absent_leader(tree):
    _, _, kis = tree
    anna, bo, cai = person("Anna", kis), person("Bo", kis), person("Cai", kis)
    kis.leaders.set([bo, cai])
    away(bo)
    assert anna.nearest_leader(NOW) == cai


def test_it_counts_a_leader_back_after_the_absence(tree):
    _, _, kis = tree
    anna, bo = person("Anna", kis), person("Bo", kis)
    kis.leaders.set([bo])
    away(bo)
    assert anna.nearest_leader(NOW + timedelta(days=2)) == bo


def test_it_skips_an_inactive_leader(tree):
    _, _, kis = tree
    anna, bo, cai = person("Anna", kis), person("Bo", kis, is_active=False), person("Cai", kis)
    kis.leaders.set([bo, cai])
    assert anna.nearest_leader(NOW) == cai


def test_it_skips_a_leader_without_a_mobile(tree):
    _, _, kis = tree
    anna, bo, cai = person("Anna", kis), person("Bo", kis, mobile=False), person("Cai", kis)
    kis.leaders.set([bo, cai])
    assert anna.nearest_leader(NOW) == cai


def test_it_falls_back_to_the_units_deputy(tree):
    _, _, kis = tree
    anna, bo, dina = person("Anna", kis), person("Bo", kis), person("Dina", kis)
    kis.leaders.set([bo])
    kis.deputy = dina
    kis.save()
    away(bo)
    assert anna.nearest_leader(NOW) == dina


def test_it_prefers_a_present_leader_to_the_deputy(tree):
    _, _, kis = tree
    anna, bo, dina = person("Anna", kis), person("Bo", kis), person("Aase", kis)
    kis.leaders.set([bo])
    kis.deputy = dina
    kis.save()
    assert anna.nearest_leader(NOW) == bo


def test_it_goes_to_the_parent_unit(tree):
    _, jobcenter, kis = tree
    anna = person("Anna", kis)
    erik = person("Erik", jobcenter)
    jobcenter.leaders.set([erik])
    assert anna.nearest_leader(NOW) == erik


def test_it_goes_up_past_an_unreachable_unit_and_deputy(tree):
    forvaltning, jobcenter, kis = tree
    anna = person("Anna", kis)
    bo, dina = person("Bo", kis, mobile=False), person("Dina", kis, is_active=False)
    kis.leaders.set([bo])
    kis.deputy = dina
    kis.save()
    erik = person("Erik", jobcenter)
    jobcenter.leaders.set([erik])
    away(erik)
    direktor = person("Direktør", forvaltning)
    forvaltning.leaders.set([direktor])
    assert anna.nearest_leader(NOW) == direktor


def test_it_returns_none_when_nobody_can_be_reached(tree):
    forvaltning, jobcenter, kis = tree
    anna = person("Anna", kis)
    bo = person("Bo", kis)
    kis.leaders.set([bo])
    away(bo)
    assert anna.nearest_leader(NOW) is None


def test_it_returns_none_for_a_person_without_a_department(db):
    assert person("Ekstern", None).nearest_leader(NOW) is None


def test_a_leader_gets_the_other_leader_of_the_unit(tree):
    _, _, kis = tree
    bo, cai = person("Bo", kis), person("Cai", kis)
    kis.leaders.set([bo, cai])
    assert bo.nearest_leader(NOW) == cai
    assert cai.nearest_leader(NOW) == bo


def test_a_sole_leader_gets_the_units_deputy(tree):
    _, _, kis = tree
    bo, dina = person("Bo", kis), person("Dina", kis)
    kis.leaders.set([bo])
    kis.deputy = dina
    kis.save()
    assert bo.nearest_leader(NOW) == dina


def test_a_sole_leader_who_is_also_the_deputy_gets_the_parents_leader(tree):
    _, jobcenter, kis = tree
    bo = person("Bo", kis)
    kis.leaders.set([bo])
    kis.deputy = bo
    kis.save()
    erik = person("Erik", jobcenter)
    jobcenter.leaders.set([erik])
    assert bo.nearest_leader(NOW) == erik


def test_a_leader_of_both_unit_and_parent_skips_themself_in_both(tree):
    forvaltning, jobcenter, kis = tree
    bo = person("Bo", kis)
    kis.leaders.set([bo])
    jobcenter.leaders.set([bo])
    direktor = person("Direktør", forvaltning)
    forvaltning.leaders.set([direktor])
    assert bo.nearest_leader(NOW) == direktor


def test_it_stops_on_a_cycle_in_the_tree(tree):
    _, jobcenter, kis = tree
    # Written behind the form's back: the tree is cyclic, the lookup must still end.
    Department.objects.filter(pk=jobcenter.pk).update(parent=kis)
    anna = person("Anna", kis)
    assert anna.nearest_leader(NOW) is None
