"""The emergency-mode tests' fixtures: the mode switched on, a break-glass admin;
the helpers are in support.py."""

from __future__ import annotations

import pytest

from beredskab import breakglass, emergency
from beredskab.roles import Role


@pytest.fixture
def mode_on(db):
    return emergency.switch_on(hours=4, reason="Entra ID er nede", by="test")


@pytest.fixture
def break_glass_admin(make_user):
    user = make_user(Role.ADMIN, username="noedkonto-1", name="Nødkonto 1")
    breakglass.add(user.username, label="Boks A", actor="test")
    return user
