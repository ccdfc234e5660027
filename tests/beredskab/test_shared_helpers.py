"""One home for each shared helper: the actor's display name (beredskab.actors), the
department-subtree walk (Department.subtree_ids) and the double-submit guard
(beredskab.once). Their behaviour, and a check that no second copy grows back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from beredskab.actors import actor_text
from beredskab.models import Department, Person

ROOT = Path(__file__).resolve().parents[2]
APPS = ["beredskab", "incidents", "outages", "contactcenter", "training"]


def test_actor_text_names_a_login_by_its_person_else_its_username(db):
    with_person = User.objects.create_user("lp")
    Person.objects.create(name="Lone Petersen", user=with_person)
    bare = User.objects.create_user("robot-login")
    assert actor_text(with_person) == "Lone Petersen"
    assert actor_text(bare) == "robot-login"
    assert actor_text(Person(name="Kim Berg")) == "Kim Berg"
    assert actor_text(None) == ""
    assert actor_text("SCIM: entra-id") == "SCIM: entra-id"


def test_actor_text_masks_a_cpr_number_and_fits_the_fields(db):
    user = User.objects.create_user("x")
    Person.objects.create(name="Anna 010190-1234", user=user)
    assert "010190-1234" not in actor_text(user)
    assert len(actor_text("SCIM: " + "x" * 300)) == 200


def test_the_subtree_holds_every_unit_under_the_departments_and_survives_a_cycle(db):
    top = Department.objects.create(name="Forvaltning")
    unit = Department.objects.create(name="Jobcenter", parent=top)
    team = Department.objects.create(name="KIS", parent=unit)
    other = Department.objects.create(name="Kontaktcenter")
    assert Department.subtree_ids({top.pk}) == {top.pk, unit.pk, team.pk}
    assert Department.subtree_ids({unit.pk}) == {unit.pk, team.pk}
    assert Department.subtree_ids(set()) == set()
    # A cycle in imported data must not hang the walk.
    Department.objects.filter(pk=top.pk).update(parent=team)
    assert Department.subtree_ids({unit.pk}) == {top.pk, unit.pk, team.pk}
    assert other.pk not in Department.subtree_ids({top.pk})


def source_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts and path.name != "demo.py":
                yield path


@pytest.mark.parametrize(
    ("pattern", "home"),
    [
        # The tree read that starts a subtree walk.
        (r'values_list\("pk", "parent_id"\)', "beredskab/models/directory.py"),
        # A local way to name the actor.
        (r"def _?actor_(text|name)\b|def name_of\b", "beredskab/actors.py"),
        # A hand-made nonce check before creating a row.
        # A hand-made nonce check before creating a row (the demo's stable keys are not
        # a form's nonce).
        (r"\.filter\(nonce=", "beredskab/once.py"),
    ],
)
def test_no_second_copy_grows_back(pattern, home):
    found = [
        str(path.relative_to(ROOT))
        for path in source_files()
        if re.search(pattern, path.read_text())
    ]
    assert set(found) <= {home}, found
