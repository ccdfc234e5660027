"""Fixtures for the incidents tests: the plan's chains, the people of the breach chain."""

from __future__ import annotations

import pytest

from beredskab.notify.sms import LocmemBackend
from beredskab.plan import load_chains
from beredskab.roles import Role
from incidents.plan import load_kind_chains


@pytest.fixture(autouse=True)
def clean_sms():
    LocmemBackend.sent.clear()
    yield
    LocmemBackend.sent.clear()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def plan(db):
    load_chains()
    load_kind_chains()


@pytest.fixture
def people(db, department, make_user):
    reporter = make_user(Role.MEDARBEJDER, username="reporter")
    boss = make_user(Role.MEDARBEJDER, Role.LEDER, username="boss")
    department.leaders.add(boss.person)
    koordinator = make_user(Role.MEDARBEJDER, Role.SYSTEMKOORDINATOR, username="koordinator")
    dpo = make_user(Role.EKSTERN_DPO, username="dpo", external_organisation="DPO ApS")
    it = make_user(Role.IT, username="itperson")
    return {"reporter": reporter, "boss": boss, "koordinator": koordinator, "dpo": dpo, "it": it}


@pytest.fixture
def make_incident(people, plan):
    """An incident reported through the service (with its escalation), as `user`."""
    from incidents.services.report import Report, report

    def make(user=None, **fields):
        fields.setdefault("description", "Mistænkelig mail")
        fields.setdefault("personal_data", "yes")
        return report(user or people["reporter"], Report(**fields))

    return make
