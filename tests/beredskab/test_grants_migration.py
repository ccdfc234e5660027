"""Roles held before role grants become active grants, so they can be removed later."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("beredskab", "0007_frontdesk_approves_campaigns")]
AFTER = [("beredskab", "0008_role_grants")]


@pytest.mark.django_db(transaction=True)
def test_it_turns_every_role_held_into_an_active_grant():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    group = old.get_model("auth", "Group").objects.get_or_create(name="it")[0]
    person = old.get_model("beredskab", "Person").objects.create(name="Før Grants")
    person.roles.add(group)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    grants = new.get_model("beredskab", "RoleGrant").objects.filter(person_id=person.pk)
    assert list(grants.values_list("role", "status", "is_direct")) == [("it", "active", True)]

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
