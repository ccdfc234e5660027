"""Bad input: a clear error at the field, HTTP 400, and nothing saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from beredskab.models import (
    Absence,
    EscalationChain,
    EscalationStep,
    Person,
    System,
    TimelineEvent,
)
from beredskab.roles import Role


@pytest.fixture(autouse=True)
def _english(settings):
    # The assertions read the English source strings; Danish is the translators' part.
    settings.LANGUAGE_CODE = "en"


def _person_data(**overrides) -> dict:
    data = {"name": "Karen Holm", "mobile": "20 12 34 56", "has_it_access": "on"}
    data["is_active"] = "on"
    data.update(overrides)
    return data


def _system_data(**overrides) -> dict:
    data = {
        "name": "KMD Nexus",
        "hosting": System.Hosting.HOSTED,
        "confidentiality": "3",
        "availability": "2",
        "integrity": "4",
    }
    data.update(overrides)
    return data


def _chain_data(steps: list[dict], **overrides) -> dict:
    data = {
        "name": "Databrud",
        "event_kind": "breach",
        "is_active": "on",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for i, step in enumerate(steps):
        for key, value in step.items():
            data[f"steps-{i}-{key}"] = value
    data.update(overrides)
    return data


def _step(**overrides) -> dict:
    step = {
        "name": "Nærmeste leder",
        "notify_nearest_leader": "on",
        "by_sms": "on",
        "by_email": "on",
        "ack_timeout_minutes": "15",
        "ORDER": "1",
    }
    step.update(overrides)
    return {k: v for k, v in step.items() if v is not None}


def _field_errors(response, field: str, form: str = "form") -> list[str]:
    return response.context[form].errors.get(field, [])


@pytest.fixture
def koordinator_client(client_as, systemkoordinator):
    return client_as(systemkoordinator)


def test_it_rejects_an_invalid_phone_number(koordinator_client):
    before = Person.objects.count()
    response = koordinator_client.post(
        reverse("directory:person_create"), _person_data(mobile="12 34")
    )
    assert response.status_code == 400
    assert "not a valid phone number" in " ".join(_field_errors(response, "mobile"))
    assert Person.objects.count() == before
    assert not TimelineEvent.objects.filter(kind="person.created").exists()


def test_it_rejects_garbage_as_a_phone_number_on_edit(koordinator_client, employee):
    person = employee.person
    old = str(person.mobile)
    response = koordinator_client.post(
        reverse("directory:person_edit", args=[person.pk]),
        _person_data(name=person.name, alternative_mobile="call me maybe", mobile=old),
    )
    assert response.status_code == 400
    assert "not a phone number" in " ".join(_field_errors(response, "alternative_mobile"))
    person.refresh_from_db()
    assert str(person.mobile) == old
    assert not person.alternative_mobile


@pytest.mark.parametrize("rating", ["0", "5", "-1", "two"])
def test_it_rejects_a_rating_outside_1_to_4(koordinator_client, rating):
    response = koordinator_client.post(
        reverse("directory:system_create"), _system_data(availability=rating)
    )
    assert response.status_code == 400
    assert _field_errors(response, "availability") == ["Give a rating from 1 to 4."]
    assert not System.objects.exists()


def test_it_rejects_a_duplicate_system_name(koordinator_client):
    System.objects.create(name="KMD Nexus")
    response = koordinator_client.post(
        reverse("directory:system_create"), _system_data(name="kmd nexus")
    )
    assert response.status_code == 400
    assert _field_errors(response, "name") == ["A system with this name already exists."]
    assert System.objects.count() == 1


def test_it_rejects_renaming_a_system_onto_another(koordinator_client):
    System.objects.create(name="KMD Nexus")
    fasit = System.objects.create(name="Fasit")
    response = koordinator_client.post(
        reverse("directory:system_edit", args=[fasit.pk]), _system_data(name="KMD Nexus")
    )
    assert response.status_code == 400
    assert _field_errors(response, "name")
    fasit.refresh_from_db()
    assert fasit.name == "Fasit"


def test_it_rejects_a_department_under_its_own_unit(koordinator_client, department):
    top = department.parent
    response = koordinator_client.post(
        reverse("directory:department_edit", args=[top.pk]),
        {"name": top.name, "kind": top.kind, "parent": department.pk},
    )
    assert response.status_code == 400
    assert "cannot be placed under itself" in " ".join(_field_errors(response, "parent"))
    top.refresh_from_db()
    assert top.parent_id is None


def test_it_does_not_offer_a_department_as_its_own_parent(koordinator_client, department):
    response = koordinator_client.post(
        reverse("directory:department_edit", args=[department.pk]),
        {"name": department.name, "kind": department.kind, "parent": department.pk},
    )
    assert response.status_code == 400
    assert _field_errors(response, "parent")
    department.refresh_from_db()
    assert department.parent_id != department.pk


def test_it_rejects_a_chain_with_no_steps(koordinator_client):
    response = koordinator_client.post(reverse("directory:chain_create"), _chain_data([]))
    assert response.status_code == 400
    assert response.context["steps"].non_form_errors() == ["Add at least one step to the chain."]
    assert not EscalationChain.objects.exists()


def test_it_rejects_a_chain_whose_only_step_is_deleted(koordinator_client):
    chain = EscalationChain.objects.create(name="Databrud", event_kind="breach")
    step = EscalationStep.objects.create(
        chain=chain, position=1, name="Leder", notify_nearest_leader=True
    )
    data = _chain_data([_step(id=str(step.pk), chain=str(chain.pk), DELETE="on")])
    data["steps-INITIAL_FORMS"] = "1"
    response = koordinator_client.post(reverse("directory:chain_edit", args=[chain.pk]), data)
    assert response.status_code == 400
    assert response.context["steps"].non_form_errors() == ["Add at least one step to the chain."]
    assert chain.steps.count() == 1


def test_it_rejects_a_zero_timeout(koordinator_client):
    response = koordinator_client.post(
        reverse("directory:chain_create"), _chain_data([_step(ack_timeout_minutes="0")])
    )
    assert response.status_code == 400
    errors = response.context["steps"].forms[0].errors["ack_timeout_minutes"]
    assert errors == ["The timeout must be at least 1 minute."]
    assert not EscalationChain.objects.exists()
    assert not EscalationStep.objects.exists()


def test_it_rejects_a_step_with_neither_sms_nor_email(koordinator_client):
    response = koordinator_client.post(
        reverse("directory:chain_create"), _chain_data([_step(by_sms=None, by_email=None)])
    )
    assert response.status_code == 400
    errors = response.context["steps"].forms[0].errors["by_sms"]
    assert errors == ["Choose at least one channel (SMS or e-mail)."]
    assert not EscalationChain.objects.exists()


def test_it_rejects_a_step_that_notifies_nobody(koordinator_client):
    response = koordinator_client.post(
        reverse("directory:chain_create"), _chain_data([_step(notify_nearest_leader=None)])
    )
    assert response.status_code == 400
    assert response.context["steps"].forms[0].errors["notify_roles"]
    assert not EscalationChain.objects.exists()


def test_it_keeps_the_chain_unchanged_when_one_step_is_bad(koordinator_client):
    chain = EscalationChain.objects.create(name="Databrud", event_kind="breach")
    step = EscalationStep.objects.create(
        chain=chain, position=1, name="Leder", notify_nearest_leader=True
    )
    data = _chain_data(
        [
            _step(id=str(step.pk), chain=str(chain.pk)),
            _step(name="DPO", by_sms=None, by_email=None),
        ],
        name="Renamed",
    )
    data["steps-INITIAL_FORMS"] = "1"
    response = koordinator_client.post(reverse("directory:chain_edit", args=[chain.pk]), data)
    assert response.status_code == 400
    chain.refresh_from_db()
    assert chain.name == "Databrud"
    assert chain.steps.count() == 1


def test_it_rejects_an_absence_that_ends_before_it_starts(koordinator_client, employee):
    start = timezone.localtime() + timedelta(days=2)
    response = koordinator_client.post(
        reverse("directory:absence_add", args=[employee.person.pk]),
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400
    assert response.context["absence_form"].errors["ends_at"] == [
        "The absence must end after it starts."
    ]
    assert not Absence.objects.exists()


def test_it_rejects_an_absence_without_dates(koordinator_client, employee):
    response = koordinator_client.post(
        reverse("directory:absence_add", args=[employee.person.pk]), {"note": "ferie"}
    )
    assert response.status_code == 400
    assert response.context["absence_form"].errors["starts_at"]
    assert not Absence.objects.exists()


def test_it_shows_the_errors_in_the_page(koordinator_client):
    response = koordinator_client.post(
        reverse("directory:system_create"), _system_data(confidentiality="9")
    )
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'aria-invalid="true"' in html
    assert "Give a rating from 1 to 4." in html


def test_it_rejects_a_person_as_their_own_deputy(koordinator_client, employee):
    person = employee.person
    response = koordinator_client.post(
        reverse("directory:person_edit", args=[person.pk]),
        _person_data(name=person.name, deputy=str(person.pk)),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["deputy"]
    person.refresh_from_db()
    assert person.deputy_id is None


def test_it_keeps_roles_unchanged_on_a_bad_person_form(koordinator_client, employee):
    person = employee.person
    it = Group.objects.get(name=Role.IT)
    response = koordinator_client.post(
        reverse("directory:person_edit", args=[person.pk]),
        _person_data(name="", roles=[str(it.pk)]),
    )
    assert response.status_code == 400
    assert not person.roles.filter(pk=it.pk).exists()
    assert not employee.groups.filter(pk=it.pk).exists()
