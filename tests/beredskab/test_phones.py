"""Phone numbers are stored in E.164; Danish unless a country code is given."""

from __future__ import annotations

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from beredskab.forms.directory import PersonForm, SupplierForm
from beredskab.forms.fields import PhoneField, normalise_phone


@pytest.fixture(autouse=True)
def _english(settings):
    # The assertions read the English source strings; Danish is the translators' part.
    settings.LANGUAGE_CODE = "en"


@pytest.mark.parametrize(
    "written",
    ["20 12 34 56", "+45 20123456", "2012-3456", "20123456", "0045 20 12 34 56", "+4520123456"],
)
def test_it_normalises_danish_numbers_to_e164(written):
    assert PhoneField().clean(written) == "+4520123456"


@pytest.mark.parametrize(
    ("written", "expected"),
    [("+46 70 123 45 67", "+46701234567"), ("+49 30 901820", "+4930901820")],
)
def test_it_accepts_foreign_numbers_in_e164(written, expected):
    assert PhoneField().clean(written) == expected


@pytest.mark.parametrize("garbage", ["ring til mig", "12", "1234567", "+45 1234 5678", "+999 123"])
def test_it_rejects_what_is_not_a_phone_number(garbage):
    with pytest.raises(ValidationError) as info:
        PhoneField().clean(garbage)
    assert info.value.code == "invalid_phone"


def test_it_says_how_to_write_a_number():
    with pytest.raises(ValidationError) as info:
        PhoneField().clean("123")
    message = info.value.messages[0]
    assert "123 is not a valid phone number" in message
    assert "8 digits" in message


def test_it_allows_an_empty_optional_number():
    assert PhoneField(required=False).clean("") == ""


def test_it_requires_a_required_number():
    with pytest.raises(ValidationError):
        PhoneField(required=True).clean("")


@pytest.mark.django_db
def test_it_stores_the_person_form_number_in_e164():
    form = PersonForm(data={"name": "Karen", "mobile": "20 12 34 56", "is_active": "on"})
    assert form.is_valid(), form.errors
    person = form.save()
    person.refresh_from_db()
    assert str(person.mobile) == "+4520123456"


@pytest.mark.django_db
def test_it_puts_the_error_at_the_field_of_the_supplier_form():
    form = SupplierForm(data={"name": "Netcompany", "support_phone": "ring"})
    assert not form.is_valid()
    assert list(form.errors) == ["support_phone"]


@pytest.mark.django_db
def test_it_shows_a_stored_number_in_its_international_form(make_user):
    person = make_user("medarbejder", mobile="+4520123456").person
    person.refresh_from_db()
    html = str(PersonForm(instance=person)["mobile"])
    assert 'value="+4520123456"' in html


# Danish mobile numbers: eight digits, in the mobile series the numbering plan uses.
danish_mobile = (
    st.tuples(
        st.sampled_from(["2", "3", "4", "5", "6", "7", "8", "9"]),
        st.text("0123456789", min_size=7, max_size=7),
    )
    .map(lambda parts: parts[0] + parts[1])
    .filter(
        lambda digits: (
            phonenumbers.number_type(phonenumbers.parse(digits, "DK"))
            in (
                phonenumbers.PhoneNumberType.MOBILE,
                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
            )
            and phonenumbers.is_valid_number(phonenumbers.parse(digits, "DK"))
        )
    )
)


@st.composite
def written_forms(draw, digits: str) -> str:
    """The same number as a person might type it: grouped with spaces or dashes, +45 or not."""
    out = []
    for i, digit in enumerate(digits):
        if i and draw(st.booleans()):
            out.append(draw(st.sampled_from([" ", "-", "  "])))
        out.append(digit)
    prefix = draw(st.sampled_from(["", "+45", "+45 ", "+45-", "0045", "0045 ", " "]))
    return prefix + "".join(out) + draw(st.sampled_from(["", " "]))


@settings(deadline=None, max_examples=200)
@given(data=st.data(), digits=danish_mobile)
def test_it_normalises_any_way_of_writing_a_danish_mobile_to_the_same_e164(data, digits):
    written = data.draw(written_forms(digits))
    assert normalise_phone(written) == f"+45{digits}"
    assert PhoneField().clean(written) == f"+45{digits}"
