"""C/I/A ratings are whole numbers from 1 to 4: in the form and in the database."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from beredskab.forms.directory import SystemForm
from beredskab.models import System


@pytest.fixture(autouse=True)
def _english(settings):
    # The assertions read the English source strings; Danish is the translators' part.
    settings.LANGUAGE_CODE = "en"


def _data(**ratings) -> dict:
    data = {"name": "Fasit", "hosting": "hosted", "confidentiality": 2}
    data.update({"availability": 2, "integrity": 2})
    data.update(ratings)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("value", [1, 2, 3, 4])
def test_it_accepts_every_rating_from_1_to_4(value):
    form = SystemForm(data=_data(confidentiality=value, availability=value, integrity=value))
    assert form.is_valid(), form.errors


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["confidentiality", "availability", "integrity"])
@pytest.mark.parametrize("value", [0, 5, -3, 40, "", "høj", "2.5"])
def test_it_rejects_a_rating_outside_1_to_4_at_the_field(field, value):
    form = SystemForm(data=_data(**{field: value}))
    assert not form.is_valid()
    assert list(form.errors) == [field]
    if value != "":
        assert form.errors[field] == ["Give a rating from 1 to 4."]


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["confidentiality", "availability", "integrity"])
@pytest.mark.parametrize("value", [0, 5])
def test_the_database_refuses_a_rating_outside_1_to_4(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        System.objects.create(name="Fasit", **{field: value})
    assert not System.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_an_update_outside_1_to_4():
    system = System.objects.create(name="Fasit")
    with pytest.raises(IntegrityError), transaction.atomic():
        System.objects.filter(pk=system.pk).update(integrity=9)
    system.refresh_from_db()
    assert system.integrity == 2
