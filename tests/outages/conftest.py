"""Fixtures for the outages tests: the plan's chains, IT, a supplier and its systems."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from beredskab.models import Supplier, System
from beredskab.notify.sms import LocmemBackend
from beredskab.plan import load_chains
from beredskab.roles import Role


@pytest.fixture(autouse=True)
def clean_sms():
    LocmemBackend.sent.clear()
    yield
    LocmemBackend.sent.clear()


@pytest.fixture(autouse=True)
def english(settings):
    """These tests read the English source texts; the Danish pass comes later."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def plan(db):
    load_chains()


@pytest.fixture
def it_user(make_user):
    return make_user(Role.IT, username="itperson")


@pytest.fixture
def sbsys(db) -> System:
    supplier = Supplier.objects.create(
        name="Netcompany",
        support_phone="+4570131000",
        support_email="support@example.invalid",
        support_hours="Hele døgnet",
    )
    return System.objects.create(
        name="SBSYS",
        supplier=supplier,
        outage_impact=(
            "Ingen ajourføring af borgersager\nIngen kontaktoplysninger\nIngen afgørelser"
        ),
    )


@pytest.fixture
def kmd(db) -> System:
    return System.objects.create(name="KMD Nexus")


@pytest.fixture
def reported(employee, sbsys):
    from outages.services.system import report

    return report(employee, description="SBSYS svarer ikke", system=sbsys)


@pytest.fixture
def declared(reported, it_user, sbsys, plan):
    from outages.services.system import declare

    declare(reported, [(sbsys, "down")], actor=it_user)
    reported.refresh_from_db()
    return reported


def local_input(at) -> str:
    """A datetime as a browser's datetime-local input sends it."""
    return timezone.localtime(at).strftime("%Y-%m-%dT%H:%M")


def in_hours(hours: float) -> str:
    return local_input(timezone.now() + timedelta(hours=hours))
