from __future__ import annotations

import re
from io import StringIO

import phonenumbers
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from beredskab.demo import DEMO_LOGINS, DEMO_PASSWORD
from beredskab.models import (
    Absence,
    Department,
    EscalationChain,
    Person,
    Supplier,
    System,
)
from beredskab.plan_content import INTRANET
from beredskab.roles import Role

pytestmark = pytest.mark.django_db

DEMO_MODELS = [Department, Person, User, Absence, Supplier, System, EscalationChain]


def load_all() -> str:
    out = StringIO()
    call_command("load_plan", stdout=out)
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in DEMO_MODELS}


def test_it_changes_nothing_when_run_twice():
    load_all()
    before = counts()
    output = StringIO()
    call_command("load_demo", stdout=output)
    assert counts() == before
    assert "nothing was missing" in output.getvalue()


def test_it_loads_the_plans_departments_people_and_systems():
    load_all()
    forvaltning = Department.objects.get(name="Beskæftigelse og Borgerservice")
    assert set(forvaltning.children.values_list("name", flat=True)) >= {
        "Jobcenter",
        "Borgerservice",
        "KIS",
        "Kontaktcenter",
    }
    assert Department.objects.filter(name="IT-afdelingen").exists()
    for department in Department.objects.all():
        assert department.leaders.exists(), department
        assert department.deputy is not None, department
    assert 20 <= Person.objects.count() <= 30
    held = set(Person.objects.values_list("roles__name", flat=True))
    assert held >= set(Role.values)
    assert System.objects.count() >= 12
    for name in ("Samwin/Jansson", "InDialog", "VPN (fjernadgang)", "Frontdesk (booking)"):
        assert not System.objects.get(name=name).is_example
    assert System.objects.filter(is_example=True).count() >= 4
    for system in System.objects.all():
        assert system.outage_impact_items() and system.rating_justification, system
        assert system.assessed_on and system.assessed_by and system.supplier, system


def test_it_gives_the_external_dpo_an_organisation():
    load_all()
    dpo = Person.objects.get(roles__name=Role.EKSTERN_DPO)
    assert dpo.is_external
    assert not dpo.has_it_access


def test_it_gives_every_demo_login_its_password_and_exactly_its_role(client):
    load_all()
    for username, role in DEMO_LOGINS:
        response = client.post(reverse("login"), {"login": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert response.wsgi_request.user.get_username() == username
        client.logout()
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.person.roles.get().name == role
        assert user.is_superuser == (role == Role.ADMIN)
        assert user.is_staff == (role == Role.ADMIN)


def test_it_makes_the_demo_login_leader_the_employees_nearest_leader():
    load_all()
    employee = User.objects.get(username="medarbejder").person
    assert employee.nearest_leader() == User.objects.get(username="leder").person


def test_it_plans_absences_only_in_the_future():
    load_all()
    assert Absence.objects.exists()
    assert not Absence.objects.filter(starts_at__lte=timezone.now()).exists()


def test_it_leaves_every_step_of_every_chain_reaching_someone():
    load_all()
    for chain in EscalationChain.objects.all():
        assert chain.warnings() == [], chain
        for step in chain.steps.all():
            assert step.notify_nearest_leader or step.resolve_recipients(), step
    reporter = User.objects.get(username="medarbejder").person
    for chain in EscalationChain.objects.all():
        for step in chain.steps.all():
            assert step.resolve_recipients(reporter=reporter), step


def test_it_refuses_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo", stdout=StringIO())
    assert not Person.objects.exists()
    assert not User.objects.exists()


URL = re.compile(r"https?://|www\.", re.IGNORECASE)


def _text_values():
    for model in apps.get_models():
        if model._meta.app_label not in {"beredskab", "contactcenter", "auth"}:
            continue
        if not model._meta.managed:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and f.name != "password"
        ]
        for row in model.objects.values_list(*fields):
            yield from (value for value in row if isinstance(value, str))


def test_it_uses_no_real_addresses_urls_or_phone_numbers():
    load_all()
    emails = list(Person.objects.exclude(email="").values_list("email", flat=True))
    emails += list(Supplier.objects.values_list("support_email", flat=True))
    emails += list(User.objects.values_list("email", flat=True))
    assert emails and all(e.endswith("@example.invalid") for e in emails)
    own = settings.BASE_URL  # the portal's own links (acknowledgement links in SMS) are fine
    for text in _text_values():
        # The plan's own intranet pages are the plan's content, not demo data (issue 21).
        text = text.replace(own, "").replace(INTRANET, "")
        assert not URL.search(text), text
    numbers = [p.mobile for p in Person.objects.all()]
    numbers += [p.alternative_mobile for p in Person.objects.exclude(alternative_mobile="")]
    numbers += [s.support_phone for s in Supplier.objects.all()]
    for number in numbers:
        assert phonenumbers.is_valid_number(number), number
        # The fictitious series the demo uses (see beredskab/demo.py).
        assert str(number)[:9] in {"+45219900", "+45219901", "+45709900"}, number
