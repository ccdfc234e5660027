from __future__ import annotations

import pytest

from beredskab.roles import Role
from contactcenter.models import ContactChannel
from contactcenter.plan import load_channels


@pytest.fixture
def channels(db) -> dict[str, ContactChannel]:
    load_channels()
    return {c.key: c for c in ContactChannel.objects.all()}


@pytest.fixture
def agent(make_user):
    return make_user(Role.MEDARBEJDER, Role.KONTAKTCENTER, username="agent", name="Anna Agent")


@pytest.fixture
def cc_leader(make_user):
    return make_user(
        Role.MEDARBEJDER, Role.KONTAKTCENTERLEDER, username="ccleder", name="Carl Centerleder"
    )


@pytest.fixture
def it_person(make_user):
    return make_user(Role.MEDARBEJDER, Role.IT, username="it-person")


@pytest.fixture(autouse=True)
def english(settings):
    """These tests read the English source texts; the Danish ones are checked by the
    translation tests and the Danish real-browser journey."""
    settings.LANGUAGE_CODE = "en"
